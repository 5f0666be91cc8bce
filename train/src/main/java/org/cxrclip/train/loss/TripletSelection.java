package org.cxrclip.train.loss;

import org.cxrclip.engine.Node;
import org.cxrclip.engine.Tensor;

/**
 * The fused part of {@link TripletLoss}: from a distance matrix D (B, B) and labels, the reduced triplet loss
 * (shape []) and, in backward, dL/dD. Each counted triplet adds +w to dL/dD[a, p] and −w to dL/dD[a, n] when
 * its hinge is active (w = 1/count for the mean, 1 for the sum; count is treated as a constant, as autograd
 * does for the mask in the composite formulation). Runs on host copies, so it works on any backend; the
 * work is O(B³) scalar operations on a B ≤ a few hundred matrix.
 */
final class TripletSelection extends Node {
    private final int b;
    private float[] gradD; // (B, B), dL/dD for an upstream gradient of 1
    private Tensor d;

    private TripletSelection(Tensor d, float[] gradD) {
        super(d);
        this.d = d;
        this.b = d.dim(0);
        this.gradD = gradD;
    }

    static Tensor apply(Tensor d, int[] labels, float margin, TripletLoss.Mining mining,
                        TripletLoss.Reduction reduction) {
        int b = d.dim(0);
        float[] dist = d.toArray();                  // (B, B)
        float[] grad = new float[b * b];             // (B, B)
        double loss = mining == TripletLoss.Mining.BATCH_ALL
                ? batchAll(dist, labels, b, margin, reduction, grad)
                : batchHard(dist, labels, b, margin, reduction, grad);
        Tensor out = Tensor.scalar(d.backend(), (float) loss); // shape []
        return Node.record(out, () -> new TripletSelection(d, grad), d);
    }

    private static double batchAll(float[] dist, int[] labels, int b, float margin,
                                   TripletLoss.Reduction reduction, float[] grad) {
        double sum = 0;
        long positive = 0;
        for (int a = 0; a < b; a++)
            for (int p = 0; p < b; p++) {
                if (p == a || labels[p] != labels[a]) continue;
                double dap = dist[a * b + p];
                for (int n = 0; n < b; n++) {
                    if (labels[n] == labels[a]) continue;
                    double l = dap - dist[a * b + n] + margin;
                    if (l > 0) {
                        sum += l;
                        positive++;
                        grad[a * b + p] += 1;
                        grad[a * b + n] -= 1;
                    }
                }
            }
        if (positive == 0) return 0;
        return scale(sum, reduction == TripletLoss.Reduction.MEAN ? positive : 1, grad);
    }

    private static double batchHard(float[] dist, int[] labels, int b, float margin,
                                    TripletLoss.Reduction reduction, float[] grad) {
        double sum = 0;
        long anchors = 0;
        for (int a = 0; a < b; a++) {
            int hardPos = -1, hardNeg = -1;
            for (int j = 0; j < b; j++) {
                float v = dist[a * b + j];
                if (labels[j] == labels[a]) {
                    if (j != a && (hardPos < 0 || v > dist[a * b + hardPos])) hardPos = j;
                } else if (hardNeg < 0 || v < dist[a * b + hardNeg]) {
                    hardNeg = j;
                }
            }
            if (hardPos < 0 || hardNeg < 0) continue;
            anchors++;
            double l = (double) dist[a * b + hardPos] - dist[a * b + hardNeg] + margin;
            if (l > 0) {
                sum += l;
                grad[a * b + hardPos] += 1;
                grad[a * b + hardNeg] -= 1;
            }
        }
        if (anchors == 0) return 0;
        return scale(sum, reduction == TripletLoss.Reduction.MEAN ? anchors : 1, grad);
    }

    private static double scale(double sum, long count, float[] grad) {
        float w = 1f / count;
        for (int i = 0; i < grad.length; i++) grad[i] *= w;
        return sum / count;
    }

    @Override
    protected void backward(Tensor gradOut) {
        float g = gradOut.item();
        float[] gd = new float[gradD.length];
        for (int i = 0; i < gd.length; i++) gd[i] = gradD[i] * g;
        d.accumulateGrad(Tensor.of(d.backend(), gd, b, b));
    }

    @Override
    protected void release() {
        d = null;
        gradD = null;
    }

    @Override
    public String name() {
        return "triplet_selection";
    }
}
