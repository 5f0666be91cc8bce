package org.cxrclip.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.cxrclip.engine.Parallel;

/**
 * Fused softmax, log-softmax and softmax cross-entropy over the last axis: SIMD along a row, rows split over
 * the cores. Numerically stable: the row maximum is subtracted before exp, and log-softmax is computed as
 * (x − max) − log Σ exp(x − max), so logits of ±1000 stay finite. Naive twin: {@code reference.SoftmaxNaive}.
 */
final class SoftmaxKernel {
    private static final VectorSpecies<Float> SP = RowSimd.SPECIES;
    private static final int L = SP.length();
    private static final int GRAIN_FLOATS = 1 << 13;

    private SoftmaxKernel() {}

    private static int grain(int C) {
        return Math.max(1, GRAIN_FLOATS / Math.max(1, C));
    }

    /** x, out (rows, C): out = softmax(x) or, if {@code log}, log_softmax(x), row-wise. out may be x. */
    static void forward(float[] out, int outOff, float[] x, int xOff, int rows, int C, boolean log) {
        Parallel.forRange(rows, grain(C), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                if (log) logSoftmaxRow(out, outOff + r * C, x, xOff + r * C, C);
                else softmaxRow(out, outOff + r * C, x, xOff + r * C, C);
            }
        });
    }

    /** out = softmax(x) over one row of n. */
    static void softmaxRow(float[] out, int outOff, float[] x, int xOff, int n) {
        float m = RowSimd.max(x, xOff, n);
        float sum = RowSimd.expShiftSum(x, xOff, out, outOff, n, m);
        RowSimd.scale(out, outOff, n, 1f / sum);
    }

    /** out = (x − max) − log Σ exp(x − max) over one row of n. out may be x. */
    static void logSoftmaxRow(float[] out, int outOff, float[] x, int xOff, int n) {
        float m = RowSimd.max(x, xOff, n);
        RowSimd.subtract(x, xOff, m, out, outOff, n);
        float sum = RowSimd.expSum(out, outOff, n);
        RowSimd.subtract(out, outOff, VectorMath.log(sum), out, outOff, n);
    }

    /**
     * Softmax of one attention row p[0, n) in place where entries may be −∞ (hidden keys). A row with every
     * entry −∞ becomes all zeros instead of NaN.
     */
    static void softmaxRowMasked(float[] p, int off, int n) {
        float m = RowSimd.max(p, off, n);
        if (m == Float.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(p, off, off + n, 0f);
            return;
        }
        float sum = RowSimd.expShiftSum(p, off, p, off, n, m);
        RowSimd.scale(p, off, n, 1f / sum);
    }

    /**
     * y, gradOut, gradIn (rows, C), y the saved forward output. softmax: gradIn = y·(g − Σ g·y);
     * log_softmax: gradIn = g − exp(y)·Σ g.
     */
    static void backward(float[] gradIn, int giOff, float[] y, int yOff, float[] gradOut, int goOff,
                         int rows, int C, boolean log) {
        Parallel.forRange(rows, grain(C), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int yr = yOff + r * C, gr = goOff + r * C, ir = giOff + r * C;
                if (log) logSoftmaxBackwardRow(gradIn, ir, y, yr, gradOut, gr, C, RowSimd.sum(gradOut, gr, C));
                else softmaxBackwardRow(gradIn, ir, y, yr, gradOut, gr, C, RowSimd.dot(gradOut, gr, y, yr, C));
            }
        });
    }

    /** gi = y·(g − s) over one row. */
    private static void softmaxBackwardRow(float[] gi, int giOff, float[] y, int yOff, float[] g, int gOff, int n,
                                           float s) {
        FloatVector sv = FloatVector.broadcast(SP, s);
        int i = 0;
        for (; i + L <= n; i += L)
            FloatVector.fromArray(SP, g, gOff + i).sub(sv).mul(FloatVector.fromArray(SP, y, yOff + i))
                    .intoArray(gi, giOff + i);
        for (; i < n; i++) gi[giOff + i] = y[yOff + i] * (g[gOff + i] - s);
    }

    /** gi = g − exp(y)·s over one row. */
    private static void logSoftmaxBackwardRow(float[] gi, int giOff, float[] y, int yOff, float[] g, int gOff,
                                              int n, float s) {
        FloatVector sv = FloatVector.broadcast(SP, -s);
        int i = 0;
        for (; i + L <= n; i += L)
            VectorMath.exp(FloatVector.fromArray(SP, y, yOff + i))
                    .fma(sv, FloatVector.fromArray(SP, g, gOff + i)).intoArray(gi, giOff + i);
        for (; i < n; i++) gi[giOff + i] = Math.fma(VectorMath.exp(y[yOff + i]), -s, g[gOff + i]);
    }

    /**
     * logits, logProbs (N, C); targets (N) in [0, C), checked by the op. Writes logProbs = log_softmax(logits)
     * and loss[lossOff] = −mean_n logProbs[n, targets[n]] (summed in double).
     */
    static void crossEntropy(float[] loss, int lossOff, float[] logProbs, int lpOff, float[] logits, int lOff,
                             int[] targets, int N, int C) {
        forward(logProbs, lpOff, logits, lOff, N, C, true);
        double sum = 0;
        for (int n = 0; n < N; n++) sum -= logProbs[lpOff + n * C + targets[n]];
        loss[lossOff] = (float) (sum / N);
    }

    /** logProbs, gradLogits (N, C): gradLogits = gradLoss·(exp(logProbs) − onehot(targets)) / N. */
    static void crossEntropyBackward(float[] gradLogits, int glOff, float[] logProbs, int lpOff, int[] targets,
                                     float gradLoss, int N, int C) {
        float k = gradLoss / N;
        Parallel.forRange(N, grain(C), (n0, n1) -> {
            for (int n = n0; n < n1; n++) {
                expScaleRow(gradLogits, glOff + n * C, logProbs, lpOff + n * C, C, k);
                gradLogits[glOff + n * C + targets[n]] -= k;
            }
        });
    }

    /** out = k·exp(x) over one row. */
    private static void expScaleRow(float[] out, int outOff, float[] x, int xOff, int n, float k) {
        FloatVector kv = FloatVector.broadcast(SP, k);
        int i = 0;
        for (; i + L <= n; i += L)
            VectorMath.exp(FloatVector.fromArray(SP, x, xOff + i)).mul(kv).intoArray(out, outOff + i);
        for (; i < n; i++) out[outOff + i] = VectorMath.exp(x[xOff + i]) * k;
    }
}
