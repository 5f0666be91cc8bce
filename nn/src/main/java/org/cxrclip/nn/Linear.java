package org.cxrclip.nn;

import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.ops.MatMul;

/** y = x·Wᵀ + b with torch's layout: weight (out, in), bias (out). */
public final class Linear extends Module {
    public final Tensor weight;
    public final Tensor bias;

    public Linear(Backend backend, int in, int out, boolean bias, Rng rng) {
        this.weight = parameter("weight", Tensor.zeros(backend, out, in));
        this.bias = bias ? parameter("bias", Tensor.zeros(backend, out)) : null;
        Init.linearDefault(weight, this.bias, rng);
    }

    /** x (..., in) → (..., out). */
    public Tensor forward(Tensor x) {
        return MatMul.linear(x, weight, bias);
    }
}
