package org.cxrclip.engine.backend.cpu;

import java.util.Arrays;
import org.cxrclip.engine.Parallel;

/**
 * Fused scaled-dot-product attention for a flattened batch of heads, parallel over heads. Heads in CLIP are
 * small (T = 50 or 77 tokens, D = 64), so each head's products are SIMD dot / axpy loops over D and E rather
 * than calls into the GEMM. Hidden keys (causal s > t, or a −∞ mask entry) get probability exactly 0 and are
 * skipped in the products; a query that sees no key at all gets probabilities and output 0, not NaN.
 * Naive twin: {@code reference.AttentionNaive}.
 */
final class AttentionKernel {
    /** About this many multiply-adds per parallel task. */
    private static final long GRAIN_FLOPS = 1 << 16;

    private AttentionKernel() {}

    private static int grain(int T, int S, int D, int E) {
        return (int) Math.max(1, GRAIN_FLOPS / Math.max(1L, (long) T * S * (D + E)));
    }

    /**
     * q (B, T, D), k (B, S, D), v (B, S, E), mask (T, S) or null, out (B, T, E), probs (B, T, S), all
     * overwritten outputs. probs = softmax_s(scale·q·kᵀ + mask) with causal hiding s > t; out = probs·v.
     */
    static void forward(float[] out, int outOff, float[] probs, int pOff, float[] q, int qOff, float[] k, int kOff,
                        float[] v, int vOff, float[] mask, int maskOff, boolean causal, float scale,
                        int B, int T, int S, int D, int E) {
        Parallel.forRange(B, grain(T, S, D, E), (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int qh = qOff + b * T * D, kh = kOff + b * S * D, vh = vOff + b * S * E;
                for (int t = 0; t < T; t++) {
                    int prow = pOff + (b * T + t) * S, orow = outOff + (b * T + t) * E;
                    int visible = causal ? Math.min(t + 1, S) : S;
                    for (int s = 0; s < visible; s++) {
                        float z = scale * RowSimd.dot(q, qh + t * D, k, kh + s * D, D);
                        probs[prow + s] = mask == null ? z : z + mask[maskOff + t * S + s];
                    }
                    SoftmaxKernel.softmaxRowMasked(probs, prow, visible);
                    Arrays.fill(probs, prow + visible, prow + S, 0f);
                    Arrays.fill(out, orow, orow + E, 0f);
                    for (int s = 0; s < visible; s++) {
                        float p = probs[prow + s];
                        if (p != 0f) RowSimd.axpy(p, v, vh + s * E, out, orow, E);
                    }
                }
            }
        });
    }

    /**
     * Shapes as in {@link #forward}; gradOut (B, T, E); dq (B, T, D), dk (B, S, D), dv (B, S, E) overwritten.
     * With P the saved probs: dV = Pᵀ·dO, dP = dO·Vᵀ, dS = P ⊙ (dP − rowsum(dP ⊙ P)), dQ = scale·dS·K,
     * dK = scale·dSᵀ·Q. Entries with P = 0 contribute nothing to any of them and are skipped.
     */
    static void backward(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff,
                         float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] probs, int pOff,
                         float[] gradOut, int goOff, float scale, int B, int T, int S, int D, int E) {
        Parallel.forRange(B, grain(T, S, D, E), (b0, b1) -> {
            float[] dP = new float[S]; // one row of dP, then of dS
            for (int b = b0; b < b1; b++) {
                int qh = qOff + b * T * D, kh = kOff + b * S * D, vh = vOff + b * S * E;
                int dqh = dqOff + b * T * D, dkh = dkOff + b * S * D, dvh = dvOff + b * S * E;
                Arrays.fill(dq, dqh, dqh + T * D, 0f);
                Arrays.fill(dk, dkh, dkh + S * D, 0f);
                Arrays.fill(dv, dvh, dvh + S * E, 0f);
                for (int t = 0; t < T; t++) {
                    int prow = pOff + (b * T + t) * S, grow = goOff + (b * T + t) * E;
                    float rowDot = 0f;
                    for (int s = 0; s < S; s++) {
                        float p = probs[prow + s];
                        if (p == 0f) continue;
                        float dp = RowSimd.dot(gradOut, grow, v, vh + s * E, E);
                        dP[s] = dp;
                        rowDot += dp * p;
                        RowSimd.axpy(p, gradOut, grow, dv, dvh + s * E, E);
                    }
                    for (int s = 0; s < S; s++) {
                        float p = probs[prow + s];
                        if (p == 0f) continue;
                        float ds = scale * p * (dP[s] - rowDot);
                        RowSimd.axpy(ds, k, kh + s * D, dq, dqh + t * D, D);
                        RowSimd.axpy(ds, q, qh + t * D, dk, dkh + s * D, D);
                    }
                }
            }
        });
    }
}
