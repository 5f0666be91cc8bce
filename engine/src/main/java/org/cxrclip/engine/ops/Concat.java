package org.cxrclip.engine.ops;

import org.cxrclip.engine.Node;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;

/** concat: tensors of equal shape except along one axis, joined along it; the gradient is sliced back. */
public final class Concat {
    private Concat() {}

    public static Tensor concat(int axis, Tensor... ts) {
        if (ts.length == 0) throw new IllegalArgumentException("concat: no tensors given");
        Backend b = OpChecks.sameBackend("concat", ts);
        int[] first = ts[0].shape();
        int ax = Shape.axis("concat", axis, first.length);
        int total = 0;
        for (Tensor t : ts) {
            int[] s = t.shape();
            boolean ok = s.length == first.length;
            for (int i = 0; ok && i < s.length; i++) ok = i == ax || s[i] == first[i];
            if (!ok)
                throw new ShapeException("concat: shape " + Shape.str(s) + " does not match " + Shape.str(first)
                        + " outside axis " + ax);
            total += s[ax];
        }
        int[] os = first.clone();
        os[ax] = total;
        Tensor out = Tensor.zeros(b, os);
        int[] starts = new int[ts.length];
        for (int i = 0, start = 0; i < ts.length; i++) {
            starts[i] = start;
            b.layout().writeSlice(ts[i], ax, start, out, false);
            start += ts[i].dim(ax);
        }
        Tensor[] inputs = ts.clone();
        return Node.record(out, () -> new ConcatNode(inputs, ax, starts), inputs);
    }

    private static final class ConcatNode extends Node {
        private final int axis;
        private final int[] starts;
        private Tensor[] ts;

        ConcatNode(Tensor[] ts, int axis, int[] starts) {
            super(ts);
            this.ts = ts;
            this.axis = axis;
            this.starts = starts;
        }

        @Override
        public String name() {
            return "concat";
        }

        @Override
        protected void backward(Tensor g) {
            for (int i = 0; i < ts.length; i++) {
                if (!ts[i].requiresGrad()) continue;
                Tensor gi = Tensor.zeros(g.backend(), ts[i].shape());
                g.backend().layout().readSlice(g, axis, starts[i], gi);
                ts[i].accumulateGrad(gi);
            }
        }

        @Override
        protected void release() {
            ts = null;
        }
    }
}
