package org.cxrclip.engine.ops;

import java.util.Arrays;
import org.cxrclip.engine.Node;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;

/** permute and transpose: copies with the axes reordered (tensors are always contiguous). */
public final class Permute {
    private Permute() {}

    /** out.shape[i] = x.shape[perm[i]]; negative entries count from the end. */
    public static Tensor permute(Tensor x, int... perm) {
        int r = x.rank();
        if (perm.length != r)
            throw new ShapeException("permute: " + Arrays.toString(perm) + " has " + perm.length
                    + " axes for a tensor of shape " + Shape.str(x.shape()));
        int[] p = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            p[i] = Shape.axis("permute", perm[i], r);
            if (seen[p[i]])
                throw new ShapeException("permute: " + Arrays.toString(perm) + " is not a permutation of the axes of "
                        + Shape.str(x.shape()));
            seen[p[i]] = true;
        }
        int[] s = x.shape(), os = new int[r];
        for (int i = 0; i < r; i++) os[i] = s[p[i]];
        Tensor out = Tensor.zeros(x.backend(), os);
        x.backend().layout().permute(x, p, out);
        return Node.record(out, () -> new PermuteNode(x, p), x);
    }

    /** Swaps axes a and b. */
    public static Tensor transpose(Tensor x, int a, int b) {
        int r = x.rank();
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) perm[i] = i;
        int aa = Shape.axis("transpose", a, r), bb = Shape.axis("transpose", b, r);
        perm[aa] = bb;
        perm[bb] = aa;
        return permute(x, perm);
    }

    private static final class PermuteNode extends Node {
        private final int[] inverse;
        private Tensor x;

        PermuteNode(Tensor x, int[] perm) {
            super(x);
            this.x = x;
            inverse = new int[perm.length];
            for (int i = 0; i < perm.length; i++) inverse[perm[i]] = i;
        }

        @Override
        public String name() {
            return "permute";
        }

        @Override
        protected void backward(Tensor g) {
            Tensor gx = Tensor.zeros(g.backend(), x.shape());
            g.backend().layout().permute(g, inverse, gx);
            x.accumulateGrad(gx);
        }

        @Override
        protected void release() {
            x = null;
        }
    }
}
