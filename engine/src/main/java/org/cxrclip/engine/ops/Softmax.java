package org.cxrclip.engine.ops;

import org.cxrclip.engine.Node;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;

/**
 * Softmax and log-softmax along the last axis, numerically stable (the row maximum is subtracted first), with
 * one fused kernel each way. Only the last axis is supported: every use in CLIP (attention scores, logits) is
 * along it, and another axis is an explicit error naming the op rather than a silent transpose; permute first.
 * A row of all −∞ gives NaN, as in PyTorch.
 */
public final class Softmax {
    private Softmax() {}

    /** softmax(x) along {@code axis}, which must be the last axis (−1 or rank − 1). */
    public static Tensor softmax(Tensor x, int axis) {
        return apply("softmax", x, axis, false);
    }

    /** softmax(x) along the last axis. */
    public static Tensor softmax(Tensor x) {
        return softmax(x, -1);
    }

    /** log_softmax(x) = x − logsumexp(x) along {@code axis}, which must be the last axis. */
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
        if (a != x.rank() - 1)
            throw new UnsupportedOperationException(op + ": only the last axis is supported (axis " + axis
                    + " of shape " + Shape.str(x.shape()) + "); permute the axis to the end first");
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
