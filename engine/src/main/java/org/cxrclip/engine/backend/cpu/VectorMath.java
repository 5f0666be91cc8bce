package org.cxrclip.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, log and tanh for the SIMD kernels, and the lane-order sum of a vector, built only from operations that
 * IEEE 754 rounds exactly (add, mul, fma, div, conversions, bit moves). Why not
 * {@code lanewise(VectorOperators.EXP)} and {@code reduceLanes(ADD)}: once the JIT compiles a kernel those
 * become Intel SVML calls and a reduction in an order of the JIT's choosing, while the interpreted form calls
 * {@code Math.exp} per lane and adds in lane order; the two differ in the last bit, so the same training run
 * gave other losses depending on how warm the JVM was. These functions give the same bits in every tier, for
 * every species width, and for the scalar tails (each vector function has a scalar twin computing the same
 * formula lane by lane), so a result never depends on where an element falls in a row or on the thread split.
 *
 * <p>Accuracy (Cephes single-precision polynomials): exp and log within 2 ulp, tanh within 3 ulp over the
 * float range; the tests compare them with {@code Math} on dense grids and with the vector forms bit for bit.
 */
final class VectorMath {
    private VectorMath() {}

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** Adding then subtracting 1.5·2²³ rounds a float of magnitude < 2²² to the nearest integer (ties to even). */
    private static final float ROUND = 12582912f;
    private static final float EXP_MIN = -104f, EXP_MAX = 89f;
    private static final float E5 = 1.9875691500e-4f, E4 = 1.3981999507e-3f, E3 = 8.3334519073e-3f,
            E2 = 4.1665795894e-2f, E1 = 1.6666665459e-1f, E0 = 5.0000001201e-1f;

    /** e^x: exact 0 below −104, +∞ above 88.73, NaN for NaN. */
    static FloatVector exp(FloatVector x) {
        VectorSpecies<Float> s = x.species();
        FloatVector v = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector n = v.fma(LOG2E, ROUND).sub(ROUND); // rint(x·log2 e), in [−150, 129]
        FloatVector r = n.fma(FloatVector.broadcast(s, -LN2_HI), v);
        r = n.fma(FloatVector.broadcast(s, -LN2_LO), r); // x − n·ln 2, |r| ≤ 0.35
        FloatVector p = r.fma(E5, E4);
        p = p.fma(r, FloatVector.broadcast(s, E3));
        p = p.fma(r, FloatVector.broadcast(s, E2));
        p = p.fma(r, FloatVector.broadcast(s, E1));
        p = p.fma(r, FloatVector.broadcast(s, E0));
        p = p.mul(r.mul(r)).add(r).add(1f);
        // 2ⁿ as 2^(n/2)·2^(n − n/2): both halves are normal floats, so subnormal and overflowing results round once.
        IntVector ni = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1), n2 = ni.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector out = p.mul(s1).mul(s2);
        return out.blend(x, x.test(VectorOperators.IS_NAN));
    }

    /** Scalar twin of {@link #exp(FloatVector)}: the same bits. */
    static float exp(float x) {
        if (Float.isNaN(x)) return x;
        float v = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
        float n = Math.fma(v, LOG2E, ROUND) - ROUND;
        float r = Math.fma(n, -LN2_HI, v);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, E5, E4);
        p = Math.fma(p, r, E3);
        p = Math.fma(p, r, E2);
        p = Math.fma(p, r, E1);
        p = Math.fma(p, r, E0);
        p = p * (r * r) + r + 1f;
        int ni = (int) n, n1 = ni >> 1, n2 = ni - n1;
        return p * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
    }

    private static final float SQRT_HALF = 0.707106781186547524f;
    private static final float[] LOG_P = {7.0376836292e-2f, -1.1514610310e-1f, 1.1676998740e-1f, -1.2420140846e-1f,
            1.4249322787e-1f, -1.6668057665e-1f, 2.0000714765e-1f, -2.4999993993e-1f, 3.3333331174e-1f};
    private static final float TWO_23 = 8388608f;

    /** ln x: NaN for x < 0 or NaN, −∞ for ±0, +∞ for +∞. */
    static FloatVector log(FloatVector x) {
        VectorSpecies<Float> s = x.species();
        var sub = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(TWO_23), sub); // subnormals scaled into the normal range
        IntVector bits = (IntVector) xs.reinterpretAsInts();
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(126);
        e = e.blend(e.sub(23), sub.cast(bits.species()));
        FloatVector m = bits.and(0x007fffff).or(0x3f000000).reinterpretAsFloats(); // [0.5, 1)
        var small = m.compare(VectorOperators.LT, SQRT_HALF);
        FloatVector fe = ((FloatVector) e.convert(VectorOperators.I2F, 0)).sub(FloatVector.zero(s).blend(1f, small));
        FloatVector t = m.add(m.blend(FloatVector.zero(s), small.not())).sub(1f); // m ∈ [√½, √2) − 1
        FloatVector z = t.mul(t);
        FloatVector y = FloatVector.broadcast(s, LOG_P[0]);
        for (int i = 1; i < LOG_P.length; i++) y = y.fma(t, FloatVector.broadcast(s, LOG_P[i]));
        y = y.mul(t).mul(z);
        y = fe.fma(FloatVector.broadcast(s, LN2_LO), y);
        y = z.fma(FloatVector.broadcast(s, -0.5f), y);
        FloatVector out = t.add(y);
        out = fe.fma(FloatVector.broadcast(s, LN2_HI), out);
        out = out.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        out = out.blend(Float.NaN, x.compare(VectorOperators.LT, 0f).or(x.test(VectorOperators.IS_NAN)));
        return out.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
    }

    /** Scalar twin of {@link #log(FloatVector)}: the same bits. */
    static float log(float x) {
        if (Float.isNaN(x) || x < 0) return Float.NaN;
        if (x == 0) return Float.NEGATIVE_INFINITY;
        if (x == Float.POSITIVE_INFINITY) return x;
        boolean sub = x < Float.MIN_NORMAL;
        int bits = Float.floatToRawIntBits(sub ? x * TWO_23 : x);
        int e = ((bits >>> 23) & 0xff) - 126 - (sub ? 23 : 0);
        float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f000000);
        boolean small = m < SQRT_HALF;
        float fe = (float) e - (small ? 1f : 0f);
        float t = m + (small ? m : 0f) - 1f;
        float z = t * t;
        float y = LOG_P[0];
        for (int i = 1; i < LOG_P.length; i++) y = Math.fma(y, t, LOG_P[i]);
        y = y * t * z;
        y = Math.fma(fe, LN2_LO, y);
        y = Math.fma(z, -0.5f, y);
        float out = t + y;
        return Math.fma(fe, LN2_HI, out);
    }

    private static final float T4 = -5.70498872745e-3f, T3 = 2.06390887954e-2f, T2 = -5.37397155531e-2f,
            T1 = 1.33314422036e-1f, T0 = -3.33332819422e-1f;
    private static final float TANH_SMALL = 0.625f;

    /** tanh x: a polynomial below |x| = 0.625, 1 − 2/(e^(2|x|) + 1) with the sign of x above. */
    static FloatVector tanh(FloatVector x) {
        VectorSpecies<Float> s = x.species();
        FloatVector a = x.abs();
        FloatVector big = FloatVector.broadcast(s, 1f).sub(FloatVector.broadcast(s, 2f).div(exp(a.add(a)).add(1f)));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(T4, T3);
        p = p.fma(z, FloatVector.broadcast(s, T2));
        p = p.fma(z, FloatVector.broadcast(s, T1));
        p = p.fma(z, FloatVector.broadcast(s, T0));
        FloatVector small = p.mul(z).fma(x, x);
        return big.blend(small, a.compare(VectorOperators.LT, TANH_SMALL).or(x.test(VectorOperators.IS_NAN)));
    }

    /** Scalar twin of {@link #tanh(FloatVector)}: the same bits. */
    static float tanh(float x) {
        float a = Math.abs(x);
        if (a < TANH_SMALL || Float.isNaN(x)) {
            float z = x * x;
            float p = Math.fma(z, T4, T3);
            p = Math.fma(p, z, T2);
            p = Math.fma(p, z, T1);
            p = Math.fma(p, z, T0);
            return Math.fma(p * z, x, x);
        }
        float big = 1f - 2f / (exp(a + a) + 1f);
        return x < 0 ? -big : big;
    }

    /** Σ of the lanes, added in lane order (((l₀ + l₁) + l₂) + …): the same bits in every JIT tier. */
    static float sumLanes(FloatVector v) {
        float s = v.lane(0);
        for (int i = 1; i < v.length(); i++) s += v.lane(i);
        return s;
    }
}
