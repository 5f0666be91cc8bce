package org.cxrclip.engine.ops;

import java.util.Arrays;
import org.cxrclip.engine.Node;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.BinaryOp;

/**
 * add, sub, mul, div with numpy broadcasting, their scalar forms, and the two broadcast primitives
 * {@link #expand} and {@link #sumTo} (each other's gradient). The gradient of a broadcast input is the output
 * gradient summed back to the input's shape.
 */
public final class Arithmetic {
    private Arithmetic() {}

    public static Tensor add(Tensor a, Tensor b) {
        return binary("add", BinaryOp.ADD, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return binary("sub", BinaryOp.SUB, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return binary("mul", BinaryOp.MUL, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return binary("div", BinaryOp.DIV, a, b);
    }

    /** x + c. */
    public static Tensor add(Tensor x, float c) {
        return Activations.affine(x, 1f, c);
    }

    /** x − c. */
    public static Tensor sub(Tensor x, float c) {
        return Activations.affine(x, 1f, -c);
    }

    /** c · x. */
    public static Tensor mul(Tensor x, float c) {
        return Activations.affine(x, c, 0f);
    }

    /** x / c, computed as x · (1/c) (may differ from a true division in the last bit). */
    public static Tensor div(Tensor x, float c) {
        return Activations.affine(x, 1f / c, 0f);
    }

    private static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        Backend be = OpChecks.sameBackend(name, a, b);
        int[] shape = Shape.broadcast(name, a.shape(), b.shape());
        Tensor out = Tensor.zeros(be, shape);
        be.pointwise().binary(op, a, b, out);
        return Node.record(out, () -> new BinaryNode(op, a, b, out), a, b);
    }

    private static final class BinaryNode extends Node {
        private final BinaryOp op;
        private Tensor a, b, out;

        BinaryNode(BinaryOp op, Tensor a, Tensor b, Tensor out) {
            super(a, b);
            this.op = op;
            this.a = a;
            this.b = b;
            this.out = out.detach();
        }

        @Override
        public String name() {
            return op.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        protected void backward(Tensor g) {
            Backend be = g.backend();
            if (a.requiresGrad()) {
                Tensor ga = switch (op) {
                    case ADD, SUB -> g;
                    case MUL -> apply(be, BinaryOp.MUL, g, b);
                    case DIV -> apply(be, BinaryOp.DIV, g, b);
                };
                a.accumulateGrad(reduceTo(ga, a.shape()));
            }
            if (b.requiresGrad()) {
                Tensor gb = switch (op) {
                    case ADD -> g;
                    case SUB -> Activations.neg(g);
                    case MUL -> apply(be, BinaryOp.MUL, g, a);
                    // d(a/b)/db = −a/b² = −out/b
                    case DIV -> Activations.neg(apply(be, BinaryOp.DIV, apply(be, BinaryOp.MUL, g, out), b));
                };
                b.accumulateGrad(reduceTo(gb, b.shape()));
            }
        }

        @Override
        protected void release() {
            a = b = out = null;
        }
    }

    /** The kernel alone, for backward passes (shape = g's shape). */
    private static Tensor apply(Backend be, BinaryOp op, Tensor g, Tensor other) {
        Tensor r = Tensor.zeros(be, g.shape());
        be.pointwise().binary(op, g, other, r);
        return r;
    }

    /** g summed down to {@code shape} (g itself if the shapes agree); no autograd. */
    static Tensor reduceTo(Tensor g, int[] shape) {
        if (Arrays.equals(g.shape(), shape)) return g;
        Tensor r = Tensor.zeros(g.backend(), shape);
        g.backend().pointwise().sumTo(g, r);
        return r;
    }

    /** x broadcast to {@code shape} (a copy); the gradient sums back. */
    public static Tensor expand(Tensor x, int... shape) {
        if (!Shape.broadcastsTo(x.shape(), shape))
            throw new ShapeException("expand: shape " + Shape.str(x.shape()) + " does not broadcast to " + Shape.str(shape));
        Tensor out = Tensor.zeros(x.backend(), shape);
        x.backend().pointwise().expand(x, out);
        return Node.record(out, () -> new BroadcastNode(x, true), x);
    }

    /** x summed over the axes along which {@code shape} broadcasts to x's shape; the gradient expands back. */
    public static Tensor sumTo(Tensor x, int... shape) {
        if (!Shape.broadcastsTo(shape, x.shape()))
            throw new ShapeException("sumTo: shape " + Shape.str(shape) + " does not broadcast to " + Shape.str(x.shape()));
        Tensor out = reduceTo(x, shape.clone());
        if (out == x) out = x.detach();
        return Node.record(out, () -> new BroadcastNode(x, false), x);
    }

    /** expand and sumTo: each one's gradient is the other. */
    private static final class BroadcastNode extends Node {
        private final boolean expand;
        private Tensor x;

        BroadcastNode(Tensor x, boolean expand) {
            super(x);
            this.x = x;
            this.expand = expand;
        }

        @Override
        public String name() {
            return expand ? "expand" : "sumTo";
        }

        @Override
        protected void backward(Tensor g) {
            if (expand) {
                x.accumulateGrad(reduceTo(g, x.shape()));
            } else {
                Tensor gx = Tensor.zeros(g.backend(), x.shape());
                g.backend().pointwise().expand(g, gx);
                x.accumulateGrad(gx);
            }
        }

        @Override
        protected void release() {
            x = null;
        }
    }
}
