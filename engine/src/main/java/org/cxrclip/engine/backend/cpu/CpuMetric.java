package org.cxrclip.engine.backend.cpu;

import static org.cxrclip.engine.backend.HostStorage.array;

import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.MetricKernels;
import org.cxrclip.engine.backend.reference.RefMetric;

/**
 * Triplet selection on the CPU: the reference's per-anchor loop run over anchors in parallel (each anchor owns
 * its gradient row and partial), then the reference's in-order reduction, so the result is the reference's bits
 * whatever the thread count. Batch-all is O(B²) work per anchor, which is what pays to split; batch-hard's O(B)
 * scan per anchor runs on the calling thread.
 */
final class CpuMetric implements MetricKernels {
    /** Batch-all anchors per parallel range at least: below a few, a task costs more than the anchors' loops. */
    private static final int GRAIN = 8;

    @Override
    public void triplet(Tensor distances, int[] labels, float margin, Mining mining, Reduction reduction, Tensor loss,
                        Tensor gradient) {
        int b = labels.length;
        float[] d = array(distances), g = array(gradient);
        int dOff = distances.offset(), gOff = gradient.offset();
        double[] sums = new double[b];
        long[] counts = new long[b];
        Parallel.forRange(b, mining == Mining.BATCH_ALL ? GRAIN : Math.max(1, b), (from, to) -> {
            for (int a = from; a < to; a++) RefMetric.anchor(d, dOff, labels, b, a, margin, mining, g, gOff, sums, counts);
        });
        array(loss)[loss.offset()] = RefMetric.reduce(sums, counts, reduction, g, gOff, b);
    }
}
