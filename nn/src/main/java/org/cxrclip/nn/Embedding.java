package org.cxrclip.nn;

import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.ops.Gather;

/** A lookup table weight (num, dim): ids of any shape → (ids shape..., dim). */
public final class Embedding extends Module {
    public final Tensor weight;

    public Embedding(Backend backend, int num, int dim, Rng rng, double std) {
        this.weight = parameter("weight", Tensor.zeros(backend, num, dim));
        Init.normal(weight, rng, std);
    }

    public Tensor forward(int[] ids, int... idsShape) {
        return Gather.embedding(weight, ids, idsShape);
    }
}
