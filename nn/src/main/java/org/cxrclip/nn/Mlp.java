package org.cxrclip.nn;

import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.ops.Activations;

/** CLIP's feed-forward block: c_fc (d → 4d), QuickGELU, c_proj (4d → d). */
public final class Mlp extends Module {
    public final Linear cFc;
    public final Linear cProj;

    public Mlp(Backend backend, int width, int hidden, Rng rng) {
        this.cFc = child("c_fc", new Linear(backend, width, hidden, true, rng));
        this.cProj = child("c_proj", new Linear(backend, hidden, width, true, rng));
    }

    public Tensor forward(Tensor x) {
        return cProj.forward(Activations.quickGelu(cFc.forward(x)));
    }
}
