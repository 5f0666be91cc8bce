package org.cxrclip.engine.backend.cpu;

import org.cxrclip.engine.backend.HostBackend;

/**
 * The fast CPU backend: Vector API (SIMD) kernels, a packed, cache-blocked GEMM, work split over the cores
 * through {@link org.cxrclip.engine.Parallel}. Each kernel has a naive twin in the reference backend and is
 * tested against it.
 */
public final class CpuBackend extends HostBackend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {
        super("cpu", new Kernels(new CpuPointwise(), new CpuReductions(), new CpuLayout(),
                new CpuMatmul(), new CpuNorms(), new CpuAttention()), new CpuOptimizer(), new CpuMetric());
    }
}
