package org.cxrclip.engine.ops;

import org.cxrclip.engine.Node;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.BinaryOp;

/**
 * Inverted dropout: in training each element is kept with probability 1 − p and scaled by 1/(1 − p), so the
 * expectation is unchanged; otherwise the identity. The mask is drawn from the counter-based
 * {@link org.cxrclip.engine.Rng#uniform}(seed, element index), so a seed gives the same mask on every backend
 * and thread count; callers pass a fresh seed per step and layer.
 */
public final class Dropout {
    private Dropout() {}

    public static Tensor dropout(Tensor x, float p, long seed, boolean training) {
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("dropout: probability " + p + " not in [0, 1]");
        if (!training || p == 0f) return x;
        Backend b = x.backend();
        Tensor mask = Tensor.zeros(b, x.shape());
        b.pointwise().dropoutMask(seed, p, mask);
        Tensor out = Tensor.zeros(b, x.shape());
        b.pointwise().binary(BinaryOp.MUL, x, mask, out);
        return Node.record(out, () -> new DropoutNode(x, mask), x);
    }

    private static final class DropoutNode extends Node {
        private Tensor x, mask;

        DropoutNode(Tensor x, Tensor mask) {
            super(x);
            this.x = x;
            this.mask = mask;
        }

        @Override
        public String name() {
            return "dropout";
        }

        @Override
        protected void backward(Tensor g) {
            Tensor gx = Tensor.zeros(g.backend(), g.shape());
            g.backend().pointwise().binary(BinaryOp.MUL, g, mask, gx);
            x.accumulateGrad(gx);
        }

        @Override
        protected void release() {
            x = mask = null;
        }
    }
}
