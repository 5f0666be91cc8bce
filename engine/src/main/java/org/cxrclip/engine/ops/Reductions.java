package org.cxrclip.engine.ops;

import java.util.Arrays;
import org.cxrclip.engine.Node;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.ReduceOp;

/**
 * sum, mean and max over one axis, several axes, or all elements. A reduction over all elements returns a
 * rank-0 tensor (shape [], like torch.sum(x)); with {@code keepDim} the reduced axes stay as size 1. Several
 * axes reduce one axis at a time (one node each). max routes the gradient to the first maximum along the axis,
 * as torch.max(x, dim); max over several axes does so axis by axis (a valid subgradient; ties may pick a
 * different element than a max over the flattened axes would).
 */
public final class Reductions {
    private Reductions() {}

    /** Σ of all elements, shape []. */
    public static Tensor sum(Tensor x) {
        return Reshape.reshape(reduceAxis("sum", ReduceOp.SUM, Reshape.reshape(x, -1), 0));
    }

    /** Mean of all elements, shape [] (NaN for an empty tensor). */
    public static Tensor mean(Tensor x) {
        return Arithmetic.mul(sum(x), 1f / x.numel());
    }

    public static Tensor sum(Tensor x, int axis, boolean keepDim) {
        return sum(x, new int[] {axis}, keepDim);
    }

    public static Tensor sum(Tensor x, int[] axes, boolean keepDim) {
        return reduce("sum", ReduceOp.SUM, x, axes, keepDim);
    }

    public static Tensor mean(Tensor x, int axis, boolean keepDim) {
        return mean(x, new int[] {axis}, keepDim);
    }

    public static Tensor mean(Tensor x, int[] axes, boolean keepDim) {
        int[] ax = normalise("mean", x, axes);
        long count = 1;
        for (int a : ax) count *= x.dim(a);
        return Arithmetic.mul(reduce("mean", ReduceOp.SUM, x, ax, keepDim), 1f / count);
    }

    /** Maximum along one axis (values only). */
    public static Tensor max(Tensor x, int axis, boolean keepDim) {
        return max(x, new int[] {axis}, keepDim);
    }

    public static Tensor max(Tensor x, int[] axes, boolean keepDim) {
        return reduce("max", ReduceOp.MAX, x, axes, keepDim);
    }

    private static Tensor reduce(String name, ReduceOp op, Tensor x, int[] axes, boolean keepDim) {
        int[] ax = normalise(name, x, axes);
        Tensor y = x;
        for (int i = ax.length - 1; i >= 0; i--) y = reduceAxis(name, op, y, ax[i]);
        if (keepDim || ax.length == 0) return y;
        int[] s = x.shape();
        int[] kept = new int[s.length - ax.length];
        for (int a = 0, k = 0, j = 0; a < s.length; a++) {
            if (j < ax.length && ax[j] == a) j++;
            else kept[k++] = s[a];
        }
        return Reshape.reshape(y, kept);
    }

    /** Axes normalised, sorted ascending, without duplicates. */
    private static int[] normalise(String name, Tensor x, int[] axes) {
        int[] ax = new int[axes.length];
        for (int i = 0; i < axes.length; i++) ax[i] = Shape.axis(name, axes[i], x.rank());
        Arrays.sort(ax);
        for (int i = 1; i < ax.length; i++)
            if (ax[i] == ax[i - 1]) throw new ShapeException(name + ": axis " + ax[i] + " given twice in " + Arrays.toString(axes));
        return ax;
    }

    /** One axis, kept as size 1. */
    private static Tensor reduceAxis(String name, ReduceOp op, Tensor x, int axis) {
        if (op == ReduceOp.MAX && x.dim(axis) == 0)
            throw new ShapeException(name + ": cannot take the maximum over empty axis " + axis + " of shape " + Shape.str(x.shape()));
        int[] s = x.shape();
        s[axis] = 1;
        Backend b = x.backend();
        Tensor y = Tensor.zeros(b, s);
        b.reductions().reduce(op, x, axis, y);
        return Node.record(y, () -> new ReduceNode(op, x, axis), x);
    }

    private static final class ReduceNode extends Node {
        private final ReduceOp op;
        private final int axis;
        private Tensor x;

        ReduceNode(ReduceOp op, Tensor x, int axis) {
            super(x);
            this.op = op;
            this.axis = axis;
            this.x = x;
        }

        @Override
        public String name() {
            return op == ReduceOp.SUM ? "sum" : "max";
        }

        @Override
        protected void backward(Tensor g) {
            Backend b = g.backend();
            Tensor gx = Tensor.zeros(b, x.shape());
            if (op == ReduceOp.SUM) b.pointwise().expand(g, gx);
            else b.reductions().maxBackward(x, g, axis, gx);
            x.accumulateGrad(gx);
        }

        @Override
        protected void release() {
            x = null;
        }
    }
}
