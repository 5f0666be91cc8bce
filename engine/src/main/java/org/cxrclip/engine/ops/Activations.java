package org.cxrclip.engine.ops;

import org.cxrclip.engine.Node;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.UnaryOp;

/**
 * Element-wise functions y = f(x) (see {@link UnaryOp} for each formula). One node type serves them all: the
 * backend computes gradOut·f'(x) from the saved input and output. Gradients at kinks follow PyTorch: relu'(0) = 0,
 * abs'(0) = 0, clamp passes the gradient at the bounds.
 */
public final class Activations {
    private Activations() {}

    public static Tensor neg(Tensor x) {
        return unary(UnaryOp.NEG, 0, 0, x);
    }

    public static Tensor exp(Tensor x) {
        return unary(UnaryOp.EXP, 0, 0, x);
    }

    /** Natural logarithm (NaN for x < 0, −∞ at 0). */
    public static Tensor log(Tensor x) {
        return unary(UnaryOp.LOG, 0, 0, x);
    }

    public static Tensor sqrt(Tensor x) {
        return unary(UnaryOp.SQRT, 0, 0, x);
    }

    /** x^p (x must be positive unless p is an integer). */
    public static Tensor pow(Tensor x, float p) {
        return unary(UnaryOp.POW, p, 0, x);
    }

    public static Tensor tanh(Tensor x) {
        return unary(UnaryOp.TANH, 0, 0, x);
    }

    public static Tensor sigmoid(Tensor x) {
        return unary(UnaryOp.SIGMOID, 0, 0, x);
    }

    public static Tensor relu(Tensor x) {
        return unary(UnaryOp.RELU, 0, 0, x);
    }

    /** GELU with the exact normal CDF: x·Φ(x) (torch {@code gelu(approximate='none')}). */
    public static Tensor gelu(Tensor x) {
        return unary(UnaryOp.GELU_ERF, 0, 0, x);
    }

    /** GELU with the tanh approximation (torch {@code gelu(approximate='tanh')}). */
    public static Tensor geluTanh(Tensor x) {
        return unary(UnaryOp.GELU_TANH, 0, 0, x);
    }

    /** CLIP's x·σ(1.702x). */
    public static Tensor quickGelu(Tensor x) {
        return unary(UnaryOp.QUICK_GELU, 0, 0, x);
    }

    /** min(max(x, lo), hi). */
    public static Tensor clamp(Tensor x, float lo, float hi) {
        if (!(lo <= hi)) throw new IllegalArgumentException("clamp: lower bound " + lo + " above upper bound " + hi);
        return unary(UnaryOp.CLAMP, lo, hi, x);
    }

    public static Tensor abs(Tensor x) {
        return unary(UnaryOp.ABS, 0, 0, x);
    }

    /** scale·x + shift. */
    public static Tensor affine(Tensor x, float scale, float shift) {
        return unary(UnaryOp.AFFINE, scale, shift, x);
    }

    /** Any {@link UnaryOp} with its parameters. */
    public static Tensor unary(UnaryOp op, float p0, float p1, Tensor x) {
        Backend b = x.backend();
        Tensor y = Tensor.zeros(b, x.shape());
        b.pointwise().unary(op, p0, p1, x, y);
        return Node.record(y, () -> new UnaryNode(op, p0, p1, x, y), x);
    }

    private static final class UnaryNode extends Node {
        private final UnaryOp op;
        private final float p0, p1;
        private Tensor x, y;

        UnaryNode(UnaryOp op, float p0, float p1, Tensor x, Tensor y) {
            super(x);
            this.op = op;
            this.p0 = p0;
            this.p1 = p1;
            this.x = x;
            this.y = y.detach();
        }

        @Override
        public String name() {
            return op.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        protected void backward(Tensor g) {
            Tensor gx = Tensor.zeros(g.backend(), x.shape());
            g.backend().pointwise().unaryBackward(op, p0, p1, x, y, g, gx);
            x.accumulateGrad(gx);
        }

        @Override
        protected void release() {
            x = y = null;
        }
    }
}
