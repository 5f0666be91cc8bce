package org.cxrclip.nn;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;

/** Layer normalisation over the last axis with learnable weight (1) and bias (0); CLIP uses eps 1e-5. */
public final class LayerNorm extends Module {
    public final Tensor weight;
    public final Tensor bias;
    private final float eps;

    public LayerNorm(Backend backend, int dim, float eps) {
        this.weight = parameter("weight", Tensor.full(backend, 1f, dim));
        this.bias = parameter("bias", Tensor.zeros(backend, dim));
        this.eps = eps;
    }

    public Tensor forward(Tensor x) {
        return org.cxrclip.engine.ops.LayerNorm.layerNorm(x, weight, bias, eps);
    }
}
