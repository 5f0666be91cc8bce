package org.cxrclip.engine.backend.reference;

/**
 * Softmax, log-softmax and softmax cross-entropy over the last axis, one row at a time, sums in double,
 * max subtracted before exp. The oracle for {@code cpu.SoftmaxKernel}.
 */
final class SoftmaxNaive {
    private SoftmaxNaive() {}

    /** x, out (rows, C): out = softmax(x) or, if {@code log}, log_softmax(x), row-wise. */
    static void forward(float[] out, int outOff, float[] x, int xOff, int rows, int C, boolean log) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * C, orow = outOff + r * C;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < C; c++) max = Math.max(max, x[xr + c]);
            double sum = 0;
            for (int c = 0; c < C; c++) sum += Math.exp(x[xr + c] - max);
            double logSum = Math.log(sum);
            for (int c = 0; c < C; c++) {
                double z = x[xr + c] - max;
                out[orow + c] = (float) (log ? z - logSum : Math.exp(z) / sum);
            }
        }
    }

    /**
     * y, gradOut, gradIn (rows, C), y the saved forward output. softmax: gradIn = y·(g − Σ g·y);
     * log_softmax: gradIn = g − exp(y)·Σ g.
     */
    static void backward(float[] gradIn, int giOff, float[] y, int yOff, float[] gradOut, int goOff,
                         int rows, int C, boolean log) {
        for (int r = 0; r < rows; r++) {
            int yr = yOff + r * C, gr = goOff + r * C, ir = giOff + r * C;
            double s = 0;
            for (int c = 0; c < C; c++) s += log ? gradOut[gr + c] : (double) gradOut[gr + c] * y[yr + c];
            for (int c = 0; c < C; c++)
                gradIn[ir + c] = (float) (log ? gradOut[gr + c] - Math.exp(y[yr + c]) * s
                                              : y[yr + c] * (gradOut[gr + c] - s));
        }
    }

    /** logits, logProbs (N, C); targets (N) in [0, C); loss[lossOff] = −mean_n logProbs[n, targets[n]]. */
    static void crossEntropy(float[] loss, int lossOff, float[] logProbs, int lpOff, float[] logits, int lOff,
                             int[] targets, int N, int C) {
        forward(logProbs, lpOff, logits, lOff, N, C, true);
        double sum = 0;
        for (int n = 0; n < N; n++) sum -= logProbs[lpOff + n * C + targets[n]];
        loss[lossOff] = (float) (sum / N);
    }

    /** logProbs, gradLogits (N, C): gradLogits = gradLoss · (softmax − onehot(targets)) / N. */
    static void crossEntropyBackward(float[] gradLogits, int glOff, float[] logProbs, int lpOff, int[] targets,
                                     float gradLoss, int N, int C) {
        double k = (double) gradLoss / N;
        for (int n = 0; n < N; n++)
            for (int c = 0; c < C; c++) {
                double p = Math.exp(logProbs[lpOff + n * C + c]) - (c == targets[n] ? 1 : 0);
                gradLogits[glOff + n * C + c] = (float) (k * p);
            }
    }
}
