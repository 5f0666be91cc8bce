package org.cxrclip.engine.backend;

/**
 * The one seam between the autograd layer and the hardware. A backend owns its memory ({@link Storage}) and
 * implements every kernel family; ops never touch memory directly, so a GPU backend keeps tensors in device
 * memory and runs the same op set. {@link Backends} chooses the default once; tests build tensors on a
 * chosen backend and compare backends op by op.
 */
public interface Backend {
    /** A short name: {@code reference}, {@code cpu}, later {@code opencl:0}. */
    String name();

    /** A zero-filled buffer of {@code numel} floats. */
    Storage allocate(int numel);

    /** Copies {@code n} floats from host memory into the storage at {@code offset}. */
    void write(float[] src, int srcOffset, Storage dst, int offset, int n);

    /** Copies {@code n} floats from the storage at {@code offset} into host memory. */
    void read(Storage src, int offset, float[] dst, int dstOffset, int n);

    PointwiseKernels pointwise();

    ReductionKernels reductions();

    LayoutKernels layout();

    MatmulKernels matmul();

    NormKernels norms();

    AttentionKernels attention();

    /** In-place optimiser updates and gradient statistics (parameters and moments stay in this memory). */
    OptimizerKernels optimizer();

    /** Metric-learning triplet selection (the distance matrix and its gradient stay in this memory). */
    MetricKernels metric();
}
