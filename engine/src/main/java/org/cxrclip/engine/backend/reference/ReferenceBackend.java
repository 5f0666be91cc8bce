package org.cxrclip.engine.backend.reference;

import org.cxrclip.engine.backend.HostBackend;

/**
 * The scalar reference backend: plain single-threaded loops written to be obviously right, accumulating in
 * double where a sum is long. Every faster backend is tested against it; it is never the fast path.
 */
public final class ReferenceBackend extends HostBackend {
    public static final ReferenceBackend INSTANCE = new ReferenceBackend();

    private ReferenceBackend() {
        super("reference", new Kernels(new RefPointwise(), new RefReductions(), new RefLayout(),
                new RefMatmul(), new RefNorms(), new RefAttention()));
    }
}
