package org.cxrclip.engine.backend.reference;

/**
 * Scaled-dot-product attention, one head and one query at a time, sums in double. The oracle for
 * {@code cpu.AttentionKernel}. A key is hidden when the mask adds −∞ or when {@code causal} and s > t; hidden
 * keys get probability exactly 0, and a query that sees no key at all gets probabilities and output 0 (not NaN).
 */
final class AttentionNaive {
    private AttentionNaive() {}

    /**
     * q (B, T, D), k (B, S, D), v (B, S, E), mask (T, S) or null, out (B, T, E), probs (B, T, S).
     * probs = softmax_s(scale·q·kᵀ + mask), out = probs·v.
     */
    static void forward(float[] out, int outOff, float[] probs, int pOff, float[] q, int qOff, float[] k, int kOff,
                        float[] v, int vOff, float[] mask, int maskOff, boolean causal, float scale,
                        int B, int T, int S, int D, int E) {
        double[] score = new double[S];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < S; s++) {
                    double dot = 0;
                    for (int d = 0; d < D; d++)
                        dot += (double) q[qOff + (b * T + t) * D + d] * k[kOff + (b * S + s) * D + d];
                    double z = scale * dot + (mask == null ? 0 : mask[maskOff + t * S + s]);
                    if (causal && s > t) z = Double.NEGATIVE_INFINITY;
                    score[s] = z;
                    max = Math.max(max, z);
                }
                int prow = pOff + (b * T + t) * S;
                double sum = 0;
                for (int s = 0; s < S; s++) {
                    score[s] = max == Double.NEGATIVE_INFINITY ? 0 : Math.exp(score[s] - max);
                    sum += score[s];
                }
                for (int s = 0; s < S; s++) probs[prow + s] = sum == 0 ? 0f : (float) (score[s] / sum);
                for (int e = 0; e < E; e++) {
                    double acc = 0;
                    for (int s = 0; s < S; s++) acc += (double) probs[prow + s] * v[vOff + (b * S + s) * E + e];
                    out[outOff + (b * T + t) * E + e] = (float) acc;
                }
            }
        }
    }

    /**
     * Shapes as in {@link #forward}; gradOut, dq (B, T, ·), dk, dv (B, S, ·), all overwritten. With P the saved
     * probs: dV = Pᵀ·dO, dP = dO·Vᵀ, dS = P ⊙ (dP − rowsum(dP ⊙ P)), dQ = scale·dS·K, dK = scale·dSᵀ·Q.
     */
    static void backward(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff,
                         float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] probs, int pOff,
                         float[] gradOut, int goOff, float scale, int B, int T, int S, int D, int E) {
        double[][] dS = new double[T][S];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                double rowDot = 0;
                for (int s = 0; s < S; s++) {
                    double dp = 0;
                    for (int e = 0; e < E; e++)
                        dp += (double) gradOut[goOff + (b * T + t) * E + e] * v[vOff + (b * S + s) * E + e];
                    dS[t][s] = dp;
                    rowDot += dp * probs[pOff + (b * T + t) * S + s];
                }
                for (int s = 0; s < S; s++) dS[t][s] = probs[pOff + (b * T + t) * S + s] * (dS[t][s] - rowDot);
            }
            for (int s = 0; s < S; s++) {
                for (int e = 0; e < E; e++) {
                    double acc = 0;
                    for (int t = 0; t < T; t++)
                        acc += (double) probs[pOff + (b * T + t) * S + s] * gradOut[goOff + (b * T + t) * E + e];
                    dv[dvOff + (b * S + s) * E + e] = (float) acc;
                }
                for (int d = 0; d < D; d++) {
                    double acc = 0;
                    for (int t = 0; t < T; t++) acc += dS[t][s] * q[qOff + (b * T + t) * D + d];
                    dk[dkOff + (b * S + s) * D + d] = (float) (scale * acc);
                }
            }
            for (int t = 0; t < T; t++)
                for (int d = 0; d < D; d++) {
                    double acc = 0;
                    for (int s = 0; s < S; s++) acc += dS[t][s] * k[kOff + (b * S + s) * D + d];
                    dq[dqOff + (b * T + t) * D + d] = (float) (scale * acc);
                }
        }
    }
}
