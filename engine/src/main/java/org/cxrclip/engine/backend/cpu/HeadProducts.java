package org.cxrclip.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The small matrix products inside one attention head (T, S ≈ 50–77, D ≈ 64), written as broadcast-FMA loops
 * with the output row held in vector registers, so no horizontal lane reduction is needed per element:
 * <ul>
 *   <li>{@link #rowTimesPacked}: one row of A·Bᵀ against B packed transposed (q·kᵀ, dO·vᵀ);</li>
 *   <li>{@link #combineRows}: one output row as a weighted sum of matrix rows (P·v, Pᵀ·dO, dS·k, dSᵀ·q).</li>
 * </ul>
 * The attention kernel must not depend on the GEMM, and at these sizes packing for it would cost as much as
 * the product.
 */
final class HeadProducts {
    private static final VectorSpecies<Float> SP = RowSimd.SPECIES;
    private static final int L = SP.length();

    private HeadProducts() {}

    /** Row length rounded up to whole vectors: the packed width. */
    static int paddedWidth(int n) {
        return (n + L - 1) / L * L;
    }

    /**
     * packed (n, width) = mᵀ for m (rows, n) with row stride n, columns rows..width zero-filled; width is
     * {@link #paddedWidth}(rows).
     */
    static void packTransposed(float[] m, int mOff, int rows, int n, float[] packed, int width) {
        for (int d = 0; d < n; d++) {
            int pr = d * width;
            for (int s = 0; s < rows; s++) packed[pr + s] = m[mOff + s * n + d];
            for (int s = rows; s < width; s++) packed[pr + s] = 0f;
        }
    }

    /**
     * out[j] = Σ_d a[aOff + d]·packed[d·width + j] for j in [0, cols); a has n entries; packed (n, width);
     * cols ≤ width, both multiples of the vector length.
     */
    static void rowTimesPacked(float[] a, int aOff, int n, float[] packed, int width, int cols, float[] out,
                               int outOff) {
        int j = 0;
        for (; j + 4 * L <= cols; j += 4 * L) rowTimesPacked4(a, aOff, n, packed, width, j, out, outOff + j);
        for (; j < cols; j += L) rowTimesPacked1(a, aOff, n, packed, width, j, out, outOff + j);
    }

    private static void rowTimesPacked4(float[] a, int aOff, int n, float[] p, int width, int j, float[] out,
                                        int outOff) {
        FloatVector c0 = FloatVector.zero(SP), c1 = c0, c2 = c0, c3 = c0;
        for (int d = 0, pr = j; d < n; d++, pr += width) {
            FloatVector x = FloatVector.broadcast(SP, a[aOff + d]);
            c0 = FloatVector.fromArray(SP, p, pr).fma(x, c0);
            c1 = FloatVector.fromArray(SP, p, pr + L).fma(x, c1);
            c2 = FloatVector.fromArray(SP, p, pr + 2 * L).fma(x, c2);
            c3 = FloatVector.fromArray(SP, p, pr + 3 * L).fma(x, c3);
        }
        c0.intoArray(out, outOff);
        c1.intoArray(out, outOff + L);
        c2.intoArray(out, outOff + 2 * L);
        c3.intoArray(out, outOff + 3 * L);
    }

    private static void rowTimesPacked1(float[] a, int aOff, int n, float[] p, int width, int j, float[] out,
                                        int outOff) {
        FloatVector c = FloatVector.zero(SP);
        for (int d = 0, pr = j; d < n; d++, pr += width)
            c = FloatVector.fromArray(SP, p, pr).fma(FloatVector.broadcast(SP, a[aOff + d]), c);
        c.intoArray(out, outOff);
    }

    /**
     * out[e] (+)= alpha · Σ_i w[wOff + i·wStride] · m[mOff + i·width + e] for e in [0, width), over n rows of
     * m (n, width). Rows with weight exactly 0 are skipped (hidden keys). {@code accumulate} adds to out.
     */
    static void combineRows(float[] w, int wOff, int wStride, int n, float[] m, int mOff, int width, float alpha,
                            float[] out, int outOff, boolean accumulate) {
        int e = 0;
        for (; e + 4 * L <= width; e += 4 * L)
            combine4(w, wOff, wStride, n, m, mOff + e, width, alpha, out, outOff + e, accumulate);
        for (; e + L <= width; e += L)
            combine1(w, wOff, wStride, n, m, mOff + e, width, alpha, out, outOff + e, accumulate);
        for (; e < width; e++) {
            float acc = 0f;
            for (int i = 0; i < n; i++) acc += w[wOff + i * wStride] * m[mOff + i * width + e];
            out[outOff + e] = accumulate ? out[outOff + e] + alpha * acc : alpha * acc;
        }
    }

    private static void combine4(float[] w, int wOff, int wStride, int n, float[] m, int mOff, int width,
                                 float alpha, float[] out, int outOff, boolean accumulate) {
        FloatVector c0 = FloatVector.zero(SP), c1 = c0, c2 = c0, c3 = c0;
        for (int i = 0; i < n; i++) {
            float wi = w[wOff + i * wStride];
            if (wi == 0f) continue;
            FloatVector x = FloatVector.broadcast(SP, wi);
            int r = mOff + i * width;
            c0 = FloatVector.fromArray(SP, m, r).fma(x, c0);
            c1 = FloatVector.fromArray(SP, m, r + L).fma(x, c1);
            c2 = FloatVector.fromArray(SP, m, r + 2 * L).fma(x, c2);
            c3 = FloatVector.fromArray(SP, m, r + 3 * L).fma(x, c3);
        }
        // Stores written out here rather than in a helper taking a FloatVector: a vector passed to a method
        // that is not inlined is boxed on the heap (seen as 1.9 MB/op in JMH -prof gc).
        FloatVector a = FloatVector.broadcast(SP, alpha);
        if (accumulate) {
            c0.fma(a, FloatVector.fromArray(SP, out, outOff)).intoArray(out, outOff);
            c1.fma(a, FloatVector.fromArray(SP, out, outOff + L)).intoArray(out, outOff + L);
            c2.fma(a, FloatVector.fromArray(SP, out, outOff + 2 * L)).intoArray(out, outOff + 2 * L);
            c3.fma(a, FloatVector.fromArray(SP, out, outOff + 3 * L)).intoArray(out, outOff + 3 * L);
        } else {
            c0.mul(a).intoArray(out, outOff);
            c1.mul(a).intoArray(out, outOff + L);
            c2.mul(a).intoArray(out, outOff + 2 * L);
            c3.mul(a).intoArray(out, outOff + 3 * L);
        }
    }

    private static void combine1(float[] w, int wOff, int wStride, int n, float[] m, int mOff, int width,
                                 float alpha, float[] out, int outOff, boolean accumulate) {
        FloatVector c = FloatVector.zero(SP);
        for (int i = 0; i < n; i++) {
            float wi = w[wOff + i * wStride];
            if (wi != 0f) c = FloatVector.fromArray(SP, m, mOff + i * width).fma(FloatVector.broadcast(SP, wi), c);
        }
        FloatVector a = FloatVector.broadcast(SP, alpha);
        if (accumulate) c.fma(a, FloatVector.fromArray(SP, out, outOff)).intoArray(out, outOff);
        else c.mul(a).intoArray(out, outOff);
    }
}
