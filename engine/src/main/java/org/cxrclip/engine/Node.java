package org.cxrclip.engine;

/**
 * One recorded application of a differentiable op: its inputs, the tensors it saved for the backward pass
 * (as named fields of the subclass), and {@link #backward} that adds each input's gradient with
 * {@link Tensor#accumulateGrad}. Subclasses keep forward and backward side by side:
 * <pre>{@code
 * public static Tensor apply(Tensor x) {         // forward
 *     Tensor y = ...kernel...;
 *     return Node.record(y, new Exp(x, y));      // only when a gradient is needed
 * }
 * protected void backward(Tensor g) { x.accumulateGrad(mul(g, y)); }
 * }</pre>
 * After backward the engine calls {@link #release()} so saved activations do not outlive the step.
 */
public abstract class Node {
    private Tensor[] inputs;
    private boolean released;

    protected Node(Tensor... inputs) {
        this.inputs = inputs;
    }

    /** Adds the gradients of the inputs given the gradient of this node's output. Runs with autograd off. */
    protected abstract void backward(Tensor gradOut);

    /** Drops saved tensors; subclasses that save tensors override it and null their fields. */
    protected void release() {}

    /** A readable op name for error messages. */
    public String name() {
        return getClass().getSimpleName();
    }

    Tensor[] inputs() {
        return inputs;
    }

    boolean released() {
        return released;
    }

    final void releaseAll() {
        release();
        inputs = null;
        released = true;
    }

    /** True if gradients are being recorded and any of the tensors requires one. */
    public static boolean needsGrad(Tensor... ts) {
        if (!Autograd.isEnabled()) return false;
        for (Tensor t : ts) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /**
     * Attaches {@code node} as the producer of {@code out} if any of its inputs requires a gradient and
     * recording is on; returns {@code out}. Ops construct the node lazily via the supplier to avoid allocating
     * it (and holding saved tensors) in inference.
     */
    public static Tensor record(Tensor out, java.util.function.Supplier<? extends Node> node, Tensor... inputs) {
        if (needsGrad(inputs)) out.setGradFn(node.get());
        return out;
    }
}
