package org.cxrclip.engine.ops;

import org.cxrclip.engine.Node;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;

/**
 * Softmax and log-softmax along the last axis, numerically stable (the row maximum is subtracted first), with
 * one fused kernel each way over the last axis. Another axis is moved to the end with {@link Permute}, normalised
 * and moved back (a copy each way; every use in CLIP is along the last axis). A row of all −∞ gives NaN, as in
 * PyTorch.
 */
public final class Softmax {
    private Softmax() {}

    /** softmax(x) along {@code axis} (negative counts from the end). */
    public static Tensor softmax(Tensor x, int axis) {
        return apply("softmax", x, axis, false);
    }

    /** softmax(x) along the last axis. */
    public static Tensor softmax(Tensor x) {
        return softmax(x, -1);
    }

    /** log_softmax(x) = x − logsumexp(x) along {@code axis}. */
    public static Tensor logSoftmax(Tensor x, int axis) {
        return apply("log_softmax", x, axis, true);
    }

    /** log_softmax(x) along the last axis. */
    public static Tensor logSoftmax(Tensor x) {
        return logSoftmax(x, -1);
    }

    private static Tensor apply(String op, Tensor x, int axis, boolean log) {
        Backend b = OpChecks.sameBackend(op, x);
        Shape.requireRank(op, "x", x.shape(), 1);
        int a = Shape.axis(op, axis, x.rank());
        if (a != x.rank() - 1) {
            int last = x.rank() - 1;
            Tensor moved = apply(op, Permute.transpose(x, a, last), -1, log);
            return Permute.transpose(moved, a, last);
        }
        Tensor y = Tensor.zeros(b, x.shape());
        b.norms().softmax(x, log, y);
        return Node.record(y, () -> new SoftmaxNode(op, x, y, log), x);
    }

    private static final class SoftmaxNode extends Node {
        private final String op;
        private final boolean log;
        private Tensor x, y;

        SoftmaxNode(String op, Tensor x, Tensor y, boolean log) {
            super(x);
            this.op = op;
            this.x = x;
            this.y = y;
            this.log = log;
        }

        @Override
        protected void backward(Tensor gradOut) {
            Tensor gx = Tensor.zeros(x.backend(), x.shape());
            x.backend().norms().softmaxBackward(y, log, gradOut, gx);
            x.accumulateGrad(gx);
        }

        @Override
        protected void release() {
            x = y = null;
        }

        @Override
        public String name() {
            return op;
        }
    }
}
