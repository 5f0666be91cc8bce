package org.cxrclip.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD primitives over one contiguous row of floats, shared by the fused layer-norm and softmax kernels. Each
 * method keeps its {@link FloatVector} values local so they stay in registers; tails that do not fill a vector
 * run as scalar loops, so any species width works.
 */
final class RowSimd {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    private RowSimd() {}

    /** Σ a[i]·b[i] over n elements. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            acc0 = FloatVector.fromArray(SPECIES, a, aOff + i).fma(FloatVector.fromArray(SPECIES, b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(SPECIES, a, aOff + i + L)
                    .fma(FloatVector.fromArray(SPECIES, b, bOff + i + L), acc1);
        }
        for (; i + L <= n; i += L)
            acc0 = FloatVector.fromArray(SPECIES, a, aOff + i).fma(FloatVector.fromArray(SPECIES, b, bOff + i), acc0);
        float s = VectorMath.sumLanes(acc0.add(acc1));
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** Σ x[i] over n elements (four accumulators: the adds are latency-bound otherwise). */
    static float sum(float[] x, int off, int n) {
        FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + 4 * L <= n; i += 4 * L) {
            a0 = a0.add(FloatVector.fromArray(SPECIES, x, off + i));
            a1 = a1.add(FloatVector.fromArray(SPECIES, x, off + i + L));
            a2 = a2.add(FloatVector.fromArray(SPECIES, x, off + i + 2 * L));
            a3 = a3.add(FloatVector.fromArray(SPECIES, x, off + i + 3 * L));
        }
        for (; i + L <= n; i += L) a0 = a0.add(FloatVector.fromArray(SPECIES, x, off + i));
        float s = VectorMath.sumLanes(a0.add(a1).add(a2.add(a3)));
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    /** Σ (x[i] − c)² over n elements (four accumulators). */
    static float sumSquaredDiff(float[] x, int off, int n, float c) {
        FloatVector cv = FloatVector.broadcast(SPECIES, c);
        FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + 4 * L <= n; i += 4 * L) {
            FloatVector d0 = FloatVector.fromArray(SPECIES, x, off + i).sub(cv);
            FloatVector d1 = FloatVector.fromArray(SPECIES, x, off + i + L).sub(cv);
            FloatVector d2 = FloatVector.fromArray(SPECIES, x, off + i + 2 * L).sub(cv);
            FloatVector d3 = FloatVector.fromArray(SPECIES, x, off + i + 3 * L).sub(cv);
            a0 = d0.fma(d0, a0);
            a1 = d1.fma(d1, a1);
            a2 = d2.fma(d2, a2);
            a3 = d3.fma(d3, a3);
        }
        for (; i + L <= n; i += L) {
            FloatVector d = FloatVector.fromArray(SPECIES, x, off + i).sub(cv);
            a0 = d.fma(d, a0);
        }
        float s = VectorMath.sumLanes(a0.add(a1).add(a2.add(a3)));
        for (; i < n; i++) {
            float d = x[off + i] - c;
            s += d * d;
        }
        return s;
    }

    /** max x[i] over n ≥ 0 elements (−∞ for n = 0; two accumulators). */
    static float max(float[] x, int off, int n) {
        FloatVector a0 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY), a1 = a0;
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            a0 = a0.max(FloatVector.fromArray(SPECIES, x, off + i));
            a1 = a1.max(FloatVector.fromArray(SPECIES, x, off + i + L));
        }
        for (; i + L <= n; i += L) a0 = a0.max(FloatVector.fromArray(SPECIES, x, off + i));
        float m = a0.max(a1).reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    /** out[i] = exp(x[i] − shift); returns Σ out[i]. out may be x. */
    static float expShiftSum(float[] x, int xOff, float[] out, int outOff, int n, float shift) {
        FloatVector sv = FloatVector.broadcast(SPECIES, shift);
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(SPECIES, x, xOff + i).sub(sv));
            e.intoArray(out, outOff + i);
            acc = acc.add(e);
        }
        float s = VectorMath.sumLanes(acc);
        for (; i < n; i++) {
            float e = VectorMath.exp(x[xOff + i] - shift);
            out[outOff + i] = e;
            s += e;
        }
        return s;
    }

    /** Σ exp(x[i]) over n elements. */
    static float expSum(float[] x, int off, int n) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + L <= n; i += L) acc = acc.add(VectorMath.exp(FloatVector.fromArray(SPECIES, x, off + i)));
        float s = VectorMath.sumLanes(acc);
        for (; i < n; i++) s += VectorMath.exp(x[off + i]);
        return s;
    }

    /** x[i] *= a over n elements. */
    static void scale(float[] x, int off, int n, float a) {
        FloatVector av = FloatVector.broadcast(SPECIES, a);
        int i = 0;
        for (; i + L <= n; i += L) FloatVector.fromArray(SPECIES, x, off + i).mul(av).intoArray(x, off + i);
        for (; i < n; i++) x[off + i] *= a;
    }

    /** out[i] = x[i] − c over n elements. out may be x. */
    static void subtract(float[] x, int xOff, float c, float[] out, int outOff, int n) {
        FloatVector cv = FloatVector.broadcast(SPECIES, c);
        int i = 0;
        for (; i + L <= n; i += L) FloatVector.fromArray(SPECIES, x, xOff + i).sub(cv).intoArray(out, outOff + i);
        for (; i < n; i++) out[outOff + i] = x[xOff + i] - c;
    }
}
