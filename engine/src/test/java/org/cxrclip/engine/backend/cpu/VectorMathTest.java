package org.cxrclip.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorMath} against {@code Math} in double (the independent numbers) on dense grids plus the special
 * values, and its vector forms against its scalar twins bit for bit, for every species width.
 */
class VectorMathTest {
    private static final VectorSpecies<?>[] SPECIES = {FloatVector.SPECIES_64, FloatVector.SPECIES_128,
            FloatVector.SPECIES_256, FloatVector.SPECIES_512};

    /** Grid over [lo, hi] plus the special values. */
    private static float[] grid(float lo, float hi, int n) {
        float[] specials = {0f, -0f, 1f, -1f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 88.72f, 88.73f, -87.33f, -103.9f, -104.5f,
                0.625f, -0.625f, 0.6249999f, 1e-30f, 3e-39f};
        float[] g = new float[n + specials.length];
        for (int i = 0; i < n; i++) g[i] = lo + (hi - lo) * i / (n - 1);
        System.arraycopy(specials, 0, g, n, specials.length);
        return g;
    }

    private static double ulp(float expected) {
        float e = Math.abs(expected);
        return Math.ulp(Math.max(e, Float.MIN_NORMAL));
    }

    private static void assertClose(String name, DoubleUnaryOperator exact, float x, float got, double ulps) {
        double want = exact.applyAsDouble(x);
        float wantF = (float) want;
        if (Float.isNaN(wantF) || Float.isInfinite(wantF)) {
            assertEquals(wantF, got, name + "(" + x + ")");
            return;
        }
        assertTrue(Math.abs(got - want) <= ulps * ulp(wantF), name + "(" + x + ") = " + got + ", want " + want);
    }

    @Test
    void expIsWithinTwoUlpsIncludingSubnormalAndOverflowingResults() {
        for (float x : grid(-110f, 90f, 400_001)) assertClose("exp", Math::exp, x, VectorMath.exp(x), 2);
        assertEquals(0f, VectorMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(89f));
        assertEquals(1f, VectorMath.exp(0f));
    }

    @Test
    void logIsWithinTwoUlpsIncludingSubnormalInputs() {
        for (float x : grid(1e-6f, 50f, 400_001)) assertClose("log", Math::log, x, VectorMath.log(x), 2);
        for (int e = -149; e < 128; e++) {
            float x = Math.scalb(1.37f, e);
            if (x > 0 && Float.isFinite(x)) assertClose("log", Math::log, x, VectorMath.log(x), 2);
        }
        assertEquals(Float.NEGATIVE_INFINITY, VectorMath.log(0f));
        assertTrue(Float.isNaN(VectorMath.log(-1f)));
        assertEquals(0f, VectorMath.log(1f));
    }

    @Test
    void tanhIsWithinThreeUlps() {
        for (float x : grid(-12f, 12f, 400_001)) assertClose("tanh", Math::tanh, x, VectorMath.tanh(x), 3);
        for (float x = 1e-30f; x < 1; x *= 1.7f) assertClose("tanh", Math::tanh, x, VectorMath.tanh(x), 3);
    }

    @Test
    void vectorFormsGiveTheScalarTwinsBits() {
        float[] x = grid(-110f, 90f, 20_011);
        float[] pos = grid(1e-6f, 50f, 20_011);
        for (VectorSpecies<?> sp : SPECIES) {
            @SuppressWarnings("unchecked")
            VectorSpecies<Float> s = (VectorSpecies<Float>) sp;
            int l = s.length();
            float[] out = new float[l];
            for (int i = 0; i + l <= x.length; i += l) {
                VectorMath.exp(FloatVector.fromArray(s, x, i)).intoArray(out, 0);
                for (int j = 0; j < l; j++) assertBits(VectorMath.exp(x[i + j]), out[j], "exp", x[i + j]);
                VectorMath.tanh(FloatVector.fromArray(s, x, i)).intoArray(out, 0);
                for (int j = 0; j < l; j++) assertBits(VectorMath.tanh(x[i + j]), out[j], "tanh", x[i + j]);
                VectorMath.log(FloatVector.fromArray(s, pos, i)).intoArray(out, 0);
                for (int j = 0; j < l; j++) assertBits(VectorMath.log(pos[i + j]), out[j], "log", pos[i + j]);
            }
        }
    }

    @Test
    void sumLanesAddsInLaneOrder() {
        // 1e8 + 1 + 1 + ... loses every 1 in lane order; any other order keeps some of them.
        for (VectorSpecies<?> sp : SPECIES) {
            @SuppressWarnings("unchecked")
            VectorSpecies<Float> s = (VectorSpecies<Float>) sp;
            float[] v = new float[s.length()];
            java.util.Arrays.fill(v, 1f);
            v[0] = 1e8f;
            assertEquals(1e8f, VectorMath.sumLanes(FloatVector.fromArray(s, v, 0)));
            v[0] = 1f;
            v[s.length() - 1] = 1e8f;
            assertEquals(1e8f + (s.length() - 1), VectorMath.sumLanes(FloatVector.fromArray(s, v, 0)));
        }
    }

    private static void assertBits(float want, float got, String name, float x) {
        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), name + "(" + x + "): " + want + " vs " + got);
    }
}
