package org.cxrclip.engine.backend;

import java.util.function.Function;

/**
 * A backend's kernel families, held in one place: concrete backends add only their memory (host arrays, device
 * buffers). The families are built by a function that receives the backend, for kernels that allocate
 * intermediate tensors on it (e.g. OpenCL attention).
 */
public abstract class KernelBackend implements Backend {
    /** The six kernel families every backend implements. */
    public record Kernels(PointwiseKernels pointwise, ReductionKernels reductions, LayoutKernels layout,
                          MatmulKernels matmul, NormKernels norms, AttentionKernels attention) {}

    private final Kernels kernels;

    protected KernelBackend(Function<Backend, Kernels> make) {
        this.kernels = make.apply(this);
    }

    @Override
    public PointwiseKernels pointwise() {
        return kernels.pointwise();
    }

    @Override
    public ReductionKernels reductions() {
        return kernels.reductions();
    }

    @Override
    public LayoutKernels layout() {
        return kernels.layout();
    }

    @Override
    public MatmulKernels matmul() {
        return kernels.matmul();
    }

    @Override
    public NormKernels norms() {
        return kernels.norms();
    }

    @Override
    public AttentionKernels attention() {
        return kernels.attention();
    }
}
