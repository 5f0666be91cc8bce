package org.cxrclip.engine.ops;

import org.cxrclip.engine.Node;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;

/**
 * slice: x[..., start:end, ...] along one axis. Along the leading axis the result is a view (no copy), elsewhere
 * a copy. The gradient is zero outside the slice.
 */
public final class Slice {
    private Slice() {}

    public static Tensor slice(Tensor x, int axis, int start, int end) {
        int[] s = x.shape();
        int ax = Shape.axis("slice", axis, s.length);
        if (start < 0 || end > s[ax] || start > end)
            throw new ShapeException("slice: range [" + start + ", " + end + ") out of bounds for axis " + ax
                    + " of shape " + Shape.str(s));
        Tensor out;
        if (Shape.prod(s, 0, ax) == 1) { // everything before the axis has size 1: the slice is contiguous
            int[] os = s.clone();
            os[ax] = end - start;
            out = x.detach().view(Shape.numel(s)).rows(start * Shape.prod(s, ax + 1, s.length),
                    end * Shape.prod(s, ax + 1, s.length)).view(os);
        } else {
            int[] os = s.clone();
            os[ax] = end - start;
            out = Tensor.zeros(x.backend(), os);
            x.backend().layout().readSlice(x, ax, start, out);
        }
        return Node.record(out, () -> new SliceNode(x, ax, start), x);
    }

    private static final class SliceNode extends Node {
        private final int axis, start;
        private Tensor x;

        SliceNode(Tensor x, int axis, int start) {
            super(x);
            this.x = x;
            this.axis = axis;
            this.start = start;
        }

        @Override
        public String name() {
            return "slice";
        }

        @Override
        protected void backward(Tensor g) {
            Tensor gx = Tensor.zeros(g.backend(), x.shape());
            g.backend().layout().writeSlice(g, axis, start, gx, false);
            x.accumulateGrad(gx);
        }

        @Override
        protected void release() {
            x = null;
        }
    }
}
