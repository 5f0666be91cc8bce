package org.cxrclip.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reverse-mode pass and the no-grad switch. Backward orders the graph topologically (each node after
 * every node that consumes its output), runs each node once with the fully accumulated gradient of its
 * output, then releases the node's saved tensors and the intermediate gradients, and drops its own reference
 * to the tensor, so activations become garbage one by one during the pass rather than all at its end.
 */
public final class Autograd {
    private static final ThreadLocal<int[]> DISABLED_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Autograd() {}

    public static boolean isEnabled() {
        return DISABLED_DEPTH.get()[0] == 0;
    }

    /** {@code try (var g = Autograd.noGrad()) { ... }}: no graph is recorded inside (inference, optimiser steps). */
    public static NoGrad noGrad() {
        DISABLED_DEPTH.get()[0]++;
        return new NoGrad();
    }

    /** Re-enables recording when closed. */
    public static final class NoGrad implements AutoCloseable {
        private boolean closed;

        private NoGrad() {}

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                DISABLED_DEPTH.get()[0]--;
            }
        }
    }

    static void backward(Tensor root, Tensor gradRoot) {
        if (!root.requiresGrad())
            throw new IllegalStateException("backward: tensor does not require a gradient (no parameter reaches it)");
        Shape.requireSame("backward", root.shape(), gradRoot.shape());
        List<Tensor> order = topologicalOrder(root);
        root.accumulateGrad(gradRoot);
        try (var g = noGrad()) {
            for (int i = 0; i < order.size(); i++) {
                Tensor t = order.get(i);
                // Forget the tensor here: once its node has run, nothing in the pass needs its data, and the
                // list must not keep every activation of the step alive until the pass ends.
                order.set(i, null);
                Node node = t.gradFn();
                if (node.released())
                    throw new IllegalStateException("backward: the graph through " + node.name()
                            + " was already released by an earlier backward pass");
                Tensor gradOut = t.grad();
                if (gradOut != null) node.backward(gradOut);
                node.releaseAll();
                if (!t.keepsGrad()) t.dropGrad();
            }
        }
    }

    /** Non-leaf tensors reachable from root, root first, each before the tensors its node consumes. */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> post = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        // Iterative DFS: (tensor, next input index) frames.
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        if (root.gradFn() != null) {
            stack.push(new Object[] {root, 0});
            seen.put(root, Boolean.TRUE);
        }
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            Tensor[] inputs = t.gradFn().inputs();
            int i = (Integer) frame[1];
            if (inputs != null && i < inputs.length) {
                frame[1] = i + 1;
                Tensor in = inputs[i];
                if (in != null && in.gradFn() != null && in.requiresGrad() && !seen.containsKey(in)) {
                    seen.put(in, Boolean.TRUE);
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                post.add(t);
            }
        }
        Collections.reverse(post);
        return post;
    }
}
