package org.cxrclip.engine.backend.cpu;

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
 * The fast CPU backend: Vector API (SIMD) kernels, a packed, cache-blocked GEMM, work split over the cores
 * through {@link org.cxrclip.engine.Parallel}. Each kernel has a naive twin in the reference backend and is
 * tested against it.
 */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private final PointwiseKernels pointwise = new CpuPointwise();
    private final ReductionKernels reductions = new CpuReductions();
    private final LayoutKernels layout = new CpuLayout();
    private final MatmulKernels matmul = new CpuMatmul();
    private final NormKernels norms = new CpuNorms();
    private final AttentionKernels attention = new CpuAttention();

    private CpuBackend() {}

    @Override
    public String name() {
        return "cpu";
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
