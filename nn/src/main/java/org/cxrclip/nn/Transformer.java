package org.cxrclip.nn;

import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;

/** A stack of {@link ResidualAttentionBlock}s under the key prefix {@code resblocks.<i>}. */
public final class Transformer extends Module {
    public final ModuleList<ResidualAttentionBlock> resblocks;
    private final int width;

    public Transformer(Backend backend, int width, int layers, int heads, Rng rng) {
        this.width = width;
        this.resblocks = child("resblocks", new ModuleList<>());
        for (int i = 0; i < layers; i++) resblocks.add(new ResidualAttentionBlock(backend, width, heads, rng));
    }

    public int width() {
        return width;
    }

    public int layers() {
        return resblocks.size();
    }

    public Tensor forward(Tensor x, Tensor mask, boolean causal) {
        for (ResidualAttentionBlock block : resblocks.items()) x = block.forward(x, mask, causal);
        return x;
    }
}
