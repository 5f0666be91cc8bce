package org.cxrclip.engine.backend.reference;

import static org.cxrclip.engine.backend.HostStorage.array;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.MetricKernels;

/**
 * Triplet selection as plain loops (the naive twin of the CPU and OpenCL versions, and the per-anchor loop the
 * CPU backend runs in parallel): {@link #anchor} writes one row of dL/dD and the anchor's partial hinge sum and
 * count, {@link #reduce} adds the partials in anchor order and scales the gradient. A hinge is rounded to float
 * (D is float) before its sign is tested, as every backend does, so whether a triplet counts never depends on the
 * backend; the sums are in double. The batch-all work is O(B³) scalar operations, fine for B ≤ a few hundred.
 */
public final class RefMetric implements MetricKernels {
    @Override
    public void triplet(Tensor distances, int[] labels, float margin, Mining mining, Reduction reduction, Tensor loss,
                        Tensor gradient) {
        int b = labels.length;
        float[] d = array(distances), g = array(gradient);
        double[] sums = new double[b];
        long[] counts = new long[b];
        for (int a = 0; a < b; a++)
            anchor(d, distances.offset(), labels, b, a, margin, mining, g, gradient.offset(), sums, counts);
        array(loss)[loss.offset()] = reduce(sums, counts, reduction, g, gradient.offset(), b);
    }

    /**
     * Row a of dL/dD (B, B) at gOff, unscaled (+1 per counted active triplet at its positive, −1 at its negative),
     * and the anchor's hinge sum and count: for batch-all the number of strictly positive hinges, for batch-hard
     * 1 when the anchor is valid.
     */
    public static void anchor(float[] d, int dOff, int[] labels, int b, int a, float margin, Mining mining,
                              float[] grad, int gOff, double[] sums, long[] counts) {
        int row = dOff + a * b, gRow = gOff + a * b;
        java.util.Arrays.fill(grad, gRow, gRow + b, 0f);
        double sum = 0;
        long count = 0;
        if (mining == Mining.BATCH_ALL) {
            for (int p = 0; p < b; p++) {
                if (p == a || labels[p] != labels[a]) continue;
                float dap = d[row + p];
                for (int n = 0; n < b; n++) {
                    if (labels[n] == labels[a]) continue;
                    float l = dap - d[row + n] + margin;
                    if (l > 0) {
                        sum += l;
                        count++;
                        grad[gRow + p] += 1;
                        grad[gRow + n] -= 1;
                    }
                }
            }
        } else {
            int hardPos = -1, hardNeg = -1;
            for (int j = 0; j < b; j++) {
                float v = d[row + j];
                if (labels[j] == labels[a]) {
                    if (j != a && (hardPos < 0 || v > d[row + hardPos])) hardPos = j;
                } else if (hardNeg < 0 || v < d[row + hardNeg]) {
                    hardNeg = j;
                }
            }
            if (hardPos >= 0 && hardNeg >= 0) {
                count = 1;
                float l = d[row + hardPos] - d[row + hardNeg] + margin;
                if (l > 0) {
                    sum = l;
                    grad[gRow + hardPos] += 1;
                    grad[gRow + hardNeg] -= 1;
                }
            }
        }
        sums[a] = sum;
        counts[a] = count;
    }

    /**
     * The loss from the anchors' partials, added in anchor order, and the (B, B) gradient at gOff scaled by
     * w = 1/count for the mean (left as is for the sum). No count at all gives 0 (the gradient is then 0 too).
     */
    public static float reduce(double[] sums, long[] counts, Reduction reduction, float[] grad, int gOff, int b) {
        double sum = 0;
        long count = 0;
        for (int a = 0; a < b; a++) {
            sum += sums[a];
            count += counts[a];
        }
        if (count == 0) return 0f;
        if (reduction == Reduction.SUM) return (float) sum;
        float w = 1f / count;
        for (int i = gOff; i < gOff + b * b; i++) grad[i] *= w;
        return (float) (sum / count);
    }
}
