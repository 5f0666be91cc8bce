package org.cxrclip.engine.ops;

import java.util.Arrays;
import org.cxrclip.engine.Node;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;

/**
 * Layer normalisation over the last axis, as {@code torch.nn.functional.layer_norm(x, (C,), gamma, beta, eps)}:
 * out = (x − mean) / √(var + eps) · gamma + beta with the biased variance. One fused kernel each way; the
 * backward gives gradients for x, gamma and beta (the latter two summed over all rows).
 */
public final class LayerNorm {
    private static final String OP = "layer_norm";

    private LayerNorm() {}

    /**
     * x of any rank ≥ 1 with last axis C; gamma and beta of shape (C), either may be null (meaning 1 and 0);
     * eps ≥ 0. Returns a tensor of x's shape.
     */
    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        Backend b = OpChecks.sameBackend(OP, x, gamma, beta);
        Shape.requireRank(OP, "x", x.shape(), 1);
        int C = x.dim(-1);
        if (C == 0) throw new ShapeException(OP + ": normalised axis of x has size 0, shape " + Shape.str(x.shape()));
        checkParam("gamma", gamma, C);
        checkParam("beta", beta, C);
        if (!(eps >= 0) || Float.isInfinite(eps))
            throw new IllegalArgumentException(OP + ": eps must be finite and >= 0, got " + eps);
        int rows = x.numel() / C;
        Tensor g = gamma != null ? gamma : constant(b, 1f, C);
        Tensor be = beta != null ? beta : constant(b, 0f, C);
        Tensor out = Tensor.zeros(b, x.shape());
        Tensor mean = Tensor.zeros(b, rows), rstd = Tensor.zeros(b, rows);
        b.norms().layerNorm(x.view(rows, C), g, be, eps, out.view(rows, C), mean, rstd);
        return Node.record(out, () -> new LayerNormNode(x, gamma, beta, g, mean, rstd), x, gamma, beta);
    }

    private static void checkParam(String what, Tensor p, int C) {
        if (p != null && !Arrays.equals(p.shape(), new int[] {C}))
            throw new ShapeException(OP + ": " + what + " must have shape [" + C + "] (the last axis of x), got "
                    + Shape.str(p.shape()));
    }

    /** A (C) tensor filled with {@code value} by the backend (no host copy). */
    private static Tensor constant(Backend b, float value, int C) {
        return Tensor.full(b, value, C);
    }

    private static final class LayerNormNode extends Node {
        private Tensor x, gamma, beta, effectiveGamma, mean, rstd;

        LayerNormNode(Tensor x, Tensor gamma, Tensor beta, Tensor effectiveGamma, Tensor mean, Tensor rstd) {
            super(x, gamma, beta);
            this.x = x;
            this.gamma = gamma;
            this.beta = beta;
            this.effectiveGamma = effectiveGamma;
            this.mean = mean;
            this.rstd = rstd;
        }

        @Override
        protected void backward(Tensor gradOut) {
            Backend b = x.backend();
            int C = x.dim(-1), rows = x.numel() / C;
            Tensor gx = Tensor.zeros(b, x.shape());
            Tensor gGamma = Tensor.zeros(b, C), gBeta = Tensor.zeros(b, C);
            b.norms().layerNormBackward(x.view(rows, C), effectiveGamma, mean, rstd, gradOut.view(rows, C),
                    gx.view(rows, C), gGamma, gBeta);
            x.accumulateGrad(gx);
            if (gamma != null) gamma.accumulateGrad(gGamma);
            if (beta != null) beta.accumulateGrad(gBeta);
        }

        @Override
        protected void release() {
            x = gamma = beta = effectiveGamma = mean = rstd = null;
        }

        @Override
        public String name() {
            return OP;
        }
    }
}
