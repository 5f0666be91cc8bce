package org.cxrclip.engine.backend.reference;

import org.cxrclip.engine.backend.AttentionKernels;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.HostStorage;
import org.cxrclip.engine.backend.LayoutKernels;
import org.cxrclip.engine.backend.MatmulKernels;
import org.cxrclip.engine.backend.NormKernels;
import org.cxrclip.engine.backend.PointwiseKernels;
import org.cxrclip.engine.backend.ReductionKernels;
import org.cxrclip.engine.backend.Storage;

/**
 * The scalar reference backend: plain single-threaded loops written to be obviously right, accumulating in
 * double where a sum is long. Every faster backend is tested against it; it is never the fast path.
 */
public final class ReferenceBackend implements Backend {
    public static final ReferenceBackend INSTANCE = new ReferenceBackend();

    private final PointwiseKernels pointwise = new RefPointwise();
    private final ReductionKernels reductions = new RefReductions();
    private final LayoutKernels layout = new RefLayout();
    private final MatmulKernels matmul = new RefMatmul();
    private final NormKernels norms = new RefNorms();
    private final AttentionKernels attention = new RefAttention();

    private ReferenceBackend() {}

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public Storage allocate(int numel) {
        return new HostStorage(this, new float[numel]);
    }

    @Override
    public void write(float[] src, int srcOffset, Storage dst, int offset, int n) {
        System.arraycopy(src, srcOffset, ((HostStorage) dst).data(), offset, n);
    }

    @Override
    public void read(Storage src, int offset, float[] dst, int dstOffset, int n) {
        System.arraycopy(((HostStorage) src).data(), offset, dst, dstOffset, n);
    }

    @Override
    public PointwiseKernels pointwise() {
        return pointwise;
    }

    @Override
    public ReductionKernels reductions() {
        return reductions;
    }

    @Override
    public LayoutKernels layout() {
        return layout;
    }

    @Override
    public MatmulKernels matmul() {
        return matmul;
    }

    @Override
    public NormKernels norms() {
        return norms;
    }

    @Override
    public AttentionKernels attention() {
        return attention;
    }
}
