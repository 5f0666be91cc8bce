package org.cxrclip.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.cxrclip.engine.Parallel;

/**
 * Fused layer norm over the last axis (llm.c's layernorm_forward / _backward): SIMD along a row, rows split
 * over the cores. Two-pass mean and biased variance per row, eps inside the square root, as PyTorch. The
 * parameter gradients are sums over rows: each parallel chunk sums its rows into a private buffer and the
 * buffers are added at the end, so the result depends only on the thread count, not on scheduling.
 * Naive twin: {@code reference.LayerNormNaive}.
 */
final class LayerNormKernel {
    private static final VectorSpecies<Float> SP = RowSimd.SPECIES;
    private static final int L = SP.length();
    /** About this many floats per parallel task, so small inputs stay on one thread. */
    private static final int GRAIN_FLOATS = 1 << 14;

    private LayerNormKernel() {}

    /** x, out (rows, C); gamma, beta (C); mean, rstd (rows). */
    static void forward(float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                        float[] x, int xOff, float[] gamma, int gammaOff, float[] beta, int betaOff,
                        int rows, int C, float eps) {
        Parallel.forRange(rows, Math.max(1, GRAIN_FLOATS / C), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int row = xOff + r * C;
                float m = RowSimd.sum(x, row, C) / C;
                float var = RowSimd.sumSquaredDiff(x, row, C, m) / C;
                float s = (float) (1.0 / Math.sqrt(var + eps));
                normalizeRow(out, outOff + r * C, x, row, gamma, gammaOff, beta, betaOff, C, m, s);
                mean[meanOff + r] = m;
                rstd[rstdOff + r] = s;
            }
        });
    }

    /** out = (x − m)·s·gamma + beta over one row of C. */
    private static void normalizeRow(float[] out, int outOff, float[] x, int xOff, float[] gamma, int gOff,
                                     float[] beta, int bOff, int C, float m, float s) {
        FloatVector mv = FloatVector.broadcast(SP, m), sv = FloatVector.broadcast(SP, s);
        int c = 0;
        for (; c + L <= C; c += L) {
            FloatVector n = FloatVector.fromArray(SP, x, xOff + c).sub(mv).mul(sv);
            n.fma(FloatVector.fromArray(SP, gamma, gOff + c), FloatVector.fromArray(SP, beta, bOff + c))
                    .intoArray(out, outOff + c);
        }
        for (; c < C; c++) out[outOff + c] = (x[xOff + c] - m) * s * gamma[gOff + c] + beta[bOff + c];
    }

    /**
     * x, gradOut, gradX (rows, C); gamma, gradGamma, gradBeta (C); mean, rstd (rows); outputs overwritten.
     * With n = (x − mean)·rstd and dn = gradOut·gamma: gradX = rstd·(dn − mean(dn) − n·mean(dn·n)),
     * gradGamma = Σ_rows gradOut·n, gradBeta = Σ_rows gradOut.
     */
    static void backward(float[] gradX, int gxOff, float[] gradGamma, int ggOff, float[] gradBeta, int gbOff,
                         float[] x, int xOff, float[] gamma, int gammaOff, float[] mean, int meanOff,
                         float[] rstd, int rstdOff, float[] gradOut, int goOff, int rows, int C) {
        int chunks = (int) Math.min(Parallel.threads(), Math.max(1, rows / (long) Math.max(1, GRAIN_FLOATS / C)));
        // partial[chunk] = (gradGamma part (C), gradBeta part (C))
        float[][] partial = new float[chunks][2 * C];
        Parallel.forChunks(chunks, chunk -> {
            int r0 = (int) ((long) rows * chunk / chunks), r1 = (int) ((long) rows * (chunk + 1) / chunks);
            float[] acc = partial[chunk];
            float[] means = new float[2];
            for (int r = r0; r < r1; r++) {
                int xr = xOff + r * C, gr = goOff + r * C;
                float m = mean[meanOff + r], s = rstd[rstdOff + r];
                accumulateRow(acc, means, x, xr, gradOut, gr, gamma, gammaOff, C, m, s);
                gradXRow(gradX, gxOff + r * C, x, xr, gradOut, gr, gamma, gammaOff, C, m, s,
                        means[0] / C, means[1] / C);
            }
        });
        for (int c = 0; c < C; c++) {
            float gg = 0, gb = 0;
            for (float[] p : partial) {
                gg += p[c];
                gb += p[C + c];
            }
            gradGamma[ggOff + c] = gg;
            gradBeta[gbOff + c] = gb;
        }
    }

    /** acc[0..C) += gradOut·n, acc[C..2C) += gradOut; sums[0] = Σ dn, sums[1] = Σ dn·n for one row. */
    private static void accumulateRow(float[] acc, float[] sums, float[] x, int xOff, float[] go, int goOff,
                                      float[] gamma, int gOff, int C, float m, float s) {
        FloatVector mv = FloatVector.broadcast(SP, m), sv = FloatVector.broadcast(SP, s);
        FloatVector dnSum = FloatVector.zero(SP), dnNormSum = FloatVector.zero(SP);
        int c = 0;
        for (; c + L <= C; c += L) {
            FloatVector n = FloatVector.fromArray(SP, x, xOff + c).sub(mv).mul(sv);
            FloatVector g = FloatVector.fromArray(SP, go, goOff + c);
            FloatVector dn = g.mul(FloatVector.fromArray(SP, gamma, gOff + c));
            dnSum = dnSum.add(dn);
            dnNormSum = dn.fma(n, dnNormSum);
            g.fma(n, FloatVector.fromArray(SP, acc, c)).intoArray(acc, c);
            g.add(FloatVector.fromArray(SP, acc, C + c)).intoArray(acc, C + c);
        }
        float a = VectorMath.sumLanes(dnSum);
        float b = VectorMath.sumLanes(dnNormSum);
        for (; c < C; c++) {
            float n = (x[xOff + c] - m) * s, g = go[goOff + c], dn = g * gamma[gOff + c];
            a += dn;
            b += dn * n;
            acc[c] += g * n;
            acc[C + c] += g;
        }
        sums[0] = a;
        sums[1] = b;
    }

    /** gradX = s·(gradOut·gamma − dnMean − n·dnNormMean) for one row. */
    private static void gradXRow(float[] gx, int gxOff, float[] x, int xOff, float[] go, int goOff, float[] gamma,
                                 int gOff, int C, float m, float s, float dnMean, float dnNormMean) {
        FloatVector mv = FloatVector.broadcast(SP, m), sv = FloatVector.broadcast(SP, s);
        FloatVector dm = FloatVector.broadcast(SP, dnMean), dnm = FloatVector.broadcast(SP, dnNormMean);
        int c = 0;
        for (; c + L <= C; c += L) {
            FloatVector n = FloatVector.fromArray(SP, x, xOff + c).sub(mv).mul(sv);
            FloatVector dn = FloatVector.fromArray(SP, go, goOff + c).mul(FloatVector.fromArray(SP, gamma, gOff + c));
            dn.sub(dm).sub(n.mul(dnm)).mul(sv).intoArray(gx, gxOff + c);
        }
        for (; c < C; c++) {
            float n = (x[xOff + c] - m) * s;
            gx[gxOff + c] = s * (go[goOff + c] * gamma[gOff + c] - dnMean - n * dnNormMean);
        }
    }
}
