package org.cxrclip.engine.backend;

/**
 * A backend whose memory is Java {@code float[]} ({@link HostStorage}): the reference and CPU backends differ
 * only in their kernel families.
 */
public abstract class HostBackend implements Backend {
    private final String name;
    private final PointwiseKernels pointwise;
    private final ReductionKernels reductions;
    private final LayoutKernels layout;
    private final MatmulKernels matmul;
    private final NormKernels norms;
    private final AttentionKernels attention;

    protected HostBackend(String name, PointwiseKernels pointwise, ReductionKernels reductions, LayoutKernels layout,
                          MatmulKernels matmul, NormKernels norms, AttentionKernels attention) {
        this.name = name;
        this.pointwise = pointwise;
        this.reductions = reductions;
        this.layout = layout;
        this.matmul = matmul;
        this.norms = norms;
        this.attention = attention;
    }

    @Override
    public String name() {
        return name;
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
