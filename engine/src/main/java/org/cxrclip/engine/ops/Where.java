package org.cxrclip.engine.ops;

import org.cxrclip.engine.Node;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;

/**
 * where(cond, a, b) = cond ≠ 0 ? a : b element-wise, all three broadcast together. cond is a 0/1 mask and gets
 * no gradient; a gets the output gradient where cond holds, b elsewhere, each summed back to its shape.
 */
public final class Where {
    private Where() {}

    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Backend be = OpChecks.sameBackend("where", cond, a, b);
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", cond.shape(), a.shape()), b.shape());
        Tensor out = Tensor.zeros(be, shape);
        be.pointwise().where(cond, a, b, out);
        Tensor c = cond.detach();
        return Node.record(out, () -> new WhereNode(c, a, b), a, b);
    }

    private static final class WhereNode extends Node {
        private Tensor cond, a, b;

        WhereNode(Tensor cond, Tensor a, Tensor b) {
            super(a, b);
            this.cond = cond;
            this.a = a;
            this.b = b;
        }

        @Override
        public String name() {
            return "where";
        }

        @Override
        protected void backward(Tensor g) {
            Backend be = g.backend();
            Tensor zero = Tensor.zeros(be); // shape []: broadcasts to anything
            if (a.requiresGrad()) {
                Tensor ga = Tensor.zeros(be, g.shape());
                be.pointwise().where(cond, g, zero, ga);
                a.accumulateGrad(Arithmetic.reduceTo(ga, a.shape()));
            }
            if (b.requiresGrad()) {
                Tensor gb = Tensor.zeros(be, g.shape());
                be.pointwise().where(cond, zero, g, gb);
                b.accumulateGrad(Arithmetic.reduceTo(gb, b.shape()));
            }
        }

        @Override
        protected void release() {
            cond = a = b = null;
        }
    }
}
