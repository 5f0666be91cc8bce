package org.cxrclip.engine.backend;

/**
 * A backend whose memory is Java {@code float[]} ({@link HostStorage}): the reference and CPU backends differ
 * only in their kernel families.
 */
public abstract class HostBackend extends KernelBackend {
    private final String name;
    private final OptimizerKernels optimizer;
    private final MetricKernels metric;

    /** A host backend whose optimiser updates and triplet selection are the reference loops. */
    protected HostBackend(String name, Kernels kernels) {
        this(name, kernels, new org.cxrclip.engine.backend.reference.RefOptimizer(),
                new org.cxrclip.engine.backend.reference.RefMetric());
    }

    protected HostBackend(String name, Kernels kernels, OptimizerKernels optimizer, MetricKernels metric) {
        super(self -> kernels);
        this.name = name;
        this.optimizer = optimizer;
        this.metric = metric;
    }

    @Override
    public OptimizerKernels optimizer() {
        return optimizer;
    }

    @Override
    public MetricKernels metric() {
        return metric;
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
}
