package org.cxrclip.engine.backend.opencl;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.MetricKernels;
import org.jocl.cl_mem;

/**
 * Triplet selection of {@code metric.cl}: one work-group per anchor writes its gradient row and partial, one
 * work-item adds the partials in anchor order, and (for the mean) one launch scales the gradient. D, the gradient
 * and the loss stay on the device; only the labels are copied in (per-call data, like token ids).
 */
final class ClMetric implements MetricKernels {
    private static final String F = "metric";
    private static final long[] GROUP = {ClReductions.GROUP};
    /** Per-anchor counts travel as floats, exact up to 2²⁴ = (4096)². */
    static final int MAX_BATCH = 4096;

    private final ClContext cl;

    ClMetric(ClContext cl) {
        this.cl = cl;
    }

    @Override
    public void triplet(Tensor distances, int[] labels, float margin, Mining mining, Reduction reduction, Tensor loss,
                        Tensor gradient) {
        int b = labels.length;
        if (b > MAX_BATCH)
            throw new IllegalArgumentException("OpenCL triplet selection: batch " + b + " > " + MAX_BATCH);
        int scratch = 2 * b + 1;
        cl_mem partial = cl.pool.acquire(scratch);
        String rows = mining == Mining.BATCH_ALL ? "triplet_all_rows" : "triplet_hard_rows";
        cl.launch(F, rows, new long[] {(long) b * ClReductions.GROUP}, GROUP, distances,
                new ClContext.Indices(labels), b, margin, gradient, partial);
        boolean mean = reduction == Reduction.MEAN;
        cl.launch(F, "triplet_reduce", new long[] {1}, null, partial, b, mean ? 1 : 0, loss);
        if (mean) cl.launch(F, "triplet_scale", new long[] {(long) b * b}, new long[] {256}, gradient, b * b, partial,
                2 * b);
        // Safe to reuse at once: the in-order queue runs these launches before any later user of the buffer.
        cl.pool.giveBack(partial, scratch);
    }
}
