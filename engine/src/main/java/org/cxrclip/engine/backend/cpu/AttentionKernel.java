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
        int Sp = HeadProducts.paddedWidth(S);
        Parallel.forRange(B, grain(T, S, D, E), (b0, b1) -> {
            float[] kT = new float[D * Sp]; // kᵀ of one head (D, Sp)
            float[] row = new float[Sp];    // one row of q·kᵀ
            for (int b = b0; b < b1; b++) {
                int qh = qOff + b * T * D, vh = vOff + b * S * E;
                HeadProducts.packTransposed(k, kOff + b * S * D, S, D, kT, Sp);
                for (int t = 0; t < T; t++) {
                    int prow = pOff + (b * T + t) * S, orow = outOff + (b * T + t) * E;
                    int visible = causal ? Math.min(t + 1, S) : S;
                    HeadProducts.rowTimesPacked(q, qh + t * D, D, kT, Sp, HeadProducts.paddedWidth(visible), row, 0);
                    for (int s = 0; s < visible; s++)
                        probs[prow + s] = mask == null ? scale * row[s] : scale * row[s] + mask[maskOff + t * S + s];
                    SoftmaxKernel.softmaxRowMasked(probs, prow, visible);
                    Arrays.fill(probs, prow + visible, prow + S, 0f);
                    HeadProducts.combineRows(probs, prow, 1, visible, v, vh, E, 1f, out, orow, false);
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
        int Sp = HeadProducts.paddedWidth(S);
        Parallel.forRange(B, grain(T, S, D, E), (b0, b1) -> {
            float[] vT = new float[E * Sp]; // vᵀ of one head (E, Sp)
            float[] dP = new float[Sp];     // one row of dO·vᵀ
            float[] dS = new float[T * S];  // scale·dS of one head (T, S)
            // dSᵀ and Pᵀ (S, T): dK and dV then read their weights contiguously; reading columns of dS and P
            // at stride S made the dK/dV loop ~4x slower (11 ms vs 3 ms of a 384-head JMH run).
            float[] dST = new float[S * T];
            float[] pT = new float[S * T];
            for (int b = b0; b < b1; b++) {
                int qh = qOff + b * T * D, kh = kOff + b * S * D, goh = goOff + b * T * E, ph = pOff + b * T * S;
                HeadProducts.packTransposed(v, vOff + b * S * E, S, E, vT, Sp);
                for (int t = 0; t < T; t++) {
                    int prow = ph + t * S;
                    int seen = S; // keys after the last nonzero probability need no dP (causal rows)
                    while (seen > 0 && probs[prow + seen - 1] == 0f) seen--;
                    HeadProducts.rowTimesPacked(gradOut, goh + t * E, E, vT, Sp, HeadProducts.paddedWidth(seen), dP, 0);
                    float rowDot = 0f;
                    for (int s = 0; s < seen; s++) rowDot += dP[s] * probs[prow + s];
                    for (int s = 0; s < S; s++) {
                        float p = probs[prow + s];
                        float ds = p == 0f ? 0f : scale * p * (dP[s] - rowDot);
                        dS[t * S + s] = ds;
                        dST[s * T + t] = ds;
                        pT[s * T + t] = p;
                    }
                    HeadProducts.combineRows(dS, t * S, 1, S, k, kh, D, 1f, dq, dqOff + (b * T + t) * D, false);
                }
                for (int s = 0; s < S; s++) {
                    HeadProducts.combineRows(pT, s * T, 1, T, gradOut, goh, E, 1f, dv, dvOff + (b * S + s) * E, false);
                    HeadProducts.combineRows(dST, s * T, 1, T, q, qh, D, 1f, dk, dkOff + (b * S + s) * D, false);
                }
            }
        });
    }
}
