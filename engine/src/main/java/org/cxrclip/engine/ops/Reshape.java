package org.cxrclip.engine.ops;

import org.cxrclip.engine.Node;
import org.cxrclip.engine.Tensor;

/** reshape: a view of the same data with another shape (one dimension may be −1); no copy. */
public final class Reshape {
    private Reshape() {}

    public static Tensor reshape(Tensor x, int... shape) {
        Tensor y = x.view(shape);
        return Node.record(y, () -> new ReshapeNode(x), x);
    }

    private static final class ReshapeNode extends Node {
        private Tensor x;

        ReshapeNode(Tensor x) {
            super(x);
            this.x = x;
        }

        @Override
        public String name() {
            return "reshape";
        }

        @Override
        protected void backward(Tensor g) {
            x.accumulateGrad(g.view(x.shape()));
        }

        @Override
        protected void release() {
            x = null;
        }
    }
}
