package org.cxrclip.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.cxrclip.engine.backend.BinaryOp;

/**
 * The SIMD inner loops of the element-wise and reduction kernels: one contiguous run of {@code n} floats each,
 * vector body plus scalar tail, single-threaded (callers split work over cores). Each loop is written out
 * rather than parameterised by a {@code VectorOperators} argument: the Vector API only compiles to SIMD
 * instructions when the operator is a constant at the call.
 */
final class VectorLoops {
    private VectorLoops() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    static FloatVector ld(float[] a, int i) {
        return FloatVector.fromArray(S, a, i);
    }

    // o (n) = value
    static void fill(float[] o, int oo, int n, float value) {
        java.util.Arrays.fill(o, oo, oo + n, value);
    }

    // y (n) += alpha · x (n)
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, up = S.loopBound(n);
        for (; i < up; i += L) ld(x, xo + i).mul(alpha).add(ld(y, yo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    // y (n) += x (n)
    static void addInto(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, up = S.loopBound(n);
        for (; i < up; i += L) ld(y, yo + i).add(ld(x, xo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] += x[xo + i];
    }

    // y (n) = max(y, x)
    static void maxInto(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, up = S.loopBound(n);
        for (; i < up; i += L) ld(y, yo + i).max(ld(x, xo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] = Math.max(y[yo + i], x[xo + i]);
    }

    /** Elements per block of {@link #sum}: float lanes within a block, blocks added in double. */
    private static final int SUM_BLOCK = 4096;

    /**
     * Σ x (n): L float partial sums per block of {@link #SUM_BLOCK} elements, block sums added in double, so
     * the error stays near that of a 256-term float sum however long the row (the result depends on the
     * species, never on the thread count).
     */
    static float sum(float[] x, int xo, int n) {
        int up = S.loopBound(n);
        double total = 0;
        for (int b = 0; b < up; b += SUM_BLOCK) total += blockSum(x, xo + b, Math.min(SUM_BLOCK, up - b));
        for (int i = up; i < n; i++) total += x[xo + i];
        return (float) total;
    }

    /**
     * Σ x (n), n a multiple of L. The lanes are added in lane order: {@code reduceLanes(ADD)} leaves the order
     * unspecified, and the interpreted and JIT-compiled forms of it differ in the last bit.
     */
    private static double blockSum(float[] x, int xo, int n) {
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) acc = acc.add(ld(x, xo + i));
        float[] lanes = new float[L];
        acc.intoArray(lanes, 0);
        double s = 0;
        for (float f : lanes) s += f;
        return s;
    }

    /** max x (n), n >= 1; NaN if any element is NaN (as Math.max). */
    static float max(float[] x, int xo, int n) {
        int i = 0, up = S.loopBound(n);
        float m = Float.NEGATIVE_INFINITY;
        if (up > 0) {
            FloatVector acc = ld(x, xo);
            for (i = L; i < up; i += L) acc = acc.max(ld(x, xo + i));
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) m = Math.max(m, x[xo + i]);
        return m;
    }

    /**
     * o (n) = a (op) b where each operand is a run (stride 1) or one value repeated (stride 0). sa = sb = 0 is
     * a fill with one value.
     */
    static void binary(BinaryOp op, float[] a, int ao, int sa, float[] b, int bo, int sb, float[] o, int oo, int n) {
        if (sa == 1 && sb == 1) binaryVV(op, a, ao, b, bo, o, oo, n);
        else if (sa == 1) binaryVS(op, a, ao, b[bo], o, oo, n);
        else if (sb == 1) binarySV(op, a[ao], b, bo, o, oo, n);
        else fill(o, oo, n, scalar(op, a[ao], b[bo]));
    }

    static float scalar(BinaryOp op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
        };
    }

    // o (n) = a (n) op b (n)
    static void binaryVV(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        int i = 0, up = S.loopBound(n);
        switch (op) {
            case ADD -> { for (; i < up; i += L) ld(a, ao + i).add(ld(b, bo + i)).intoArray(o, oo + i); }
            case SUB -> { for (; i < up; i += L) ld(a, ao + i).sub(ld(b, bo + i)).intoArray(o, oo + i); }
            case MUL -> { for (; i < up; i += L) ld(a, ao + i).mul(ld(b, bo + i)).intoArray(o, oo + i); }
            case DIV -> { for (; i < up; i += L) ld(a, ao + i).div(ld(b, bo + i)).intoArray(o, oo + i); }
        }
        for (; i < n; i++) o[oo + i] = scalar(op, a[ao + i], b[bo + i]);
    }

    // o (n) = a (n) op s
    static void binaryVS(BinaryOp op, float[] a, int ao, float s, float[] o, int oo, int n) {
        int i = 0, up = S.loopBound(n);
        switch (op) {
            case ADD -> { for (; i < up; i += L) ld(a, ao + i).add(s).intoArray(o, oo + i); }
            case SUB -> { for (; i < up; i += L) ld(a, ao + i).sub(s).intoArray(o, oo + i); }
            case MUL -> { for (; i < up; i += L) ld(a, ao + i).mul(s).intoArray(o, oo + i); }
            case DIV -> { for (; i < up; i += L) ld(a, ao + i).div(s).intoArray(o, oo + i); }
        }
        for (; i < n; i++) o[oo + i] = scalar(op, a[ao + i], s);
    }

    // o (n) = s op b (n)
    static void binarySV(BinaryOp op, float s, float[] b, int bo, float[] o, int oo, int n) {
        int i = 0, up = S.loopBound(n);
        FloatVector sv = FloatVector.broadcast(S, s);
        switch (op) {
            case ADD -> { for (; i < up; i += L) sv.add(ld(b, bo + i)).intoArray(o, oo + i); }
            case SUB -> { for (; i < up; i += L) sv.sub(ld(b, bo + i)).intoArray(o, oo + i); }
            case MUL -> { for (; i < up; i += L) sv.mul(ld(b, bo + i)).intoArray(o, oo + i); }
            case DIV -> { for (; i < up; i += L) sv.div(ld(b, bo + i)).intoArray(o, oo + i); }
        }
        for (; i < n; i++) o[oo + i] = scalar(op, s, b[bo + i]);
    }
}
