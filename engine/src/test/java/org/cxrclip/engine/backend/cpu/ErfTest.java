package org.cxrclip.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cxrclip.engine.backend.reference.UnaryMath;
import org.junit.jupiter.api.Test;

/** The reference erf against published values, and the CPU table erf against the reference on a dense grid. */
class ErfTest {
    /** Values from Python's math.erf / math.erfc (C libm, correctly rounded to ~1 ulp). */
    @Test
    void referenceErfMatchesKnownValues() {
        assertEquals(0.5204998778130465, UnaryMath.erf(0.5), 1e-15);
        assertEquals(0.9953222650189527, UnaryMath.erf(2), 1e-15);
        assertEquals(-0.9953222650189527, UnaryMath.erf(-2), 1e-15);
        assertEquals(0.0, UnaryMath.erf(0), 0);
        assertEquals(1.0, UnaryMath.erf(30), 0);
        // the continued fraction takes over at 3: relative accuracy in the tail
        assertEquals(2.2090496998585438e-05, UnaryMath.erfc(3), 1e-13 * 2.2e-5);
        assertEquals(1.541725790028002e-08, UnaryMath.erfc(4), 1e-12 * 1.5e-8);
        assertEquals(1 - 0.5204998778130465, UnaryMath.erfc(0.5), 1e-15);
        assertEquals(1.0 - UnaryMath.erf(2.9999999), UnaryMath.erfc(2.9999999), 1e-15);
        // both expansions agree where they meet
        assertEquals(UnaryMath.erfc(3 - 1e-12), UnaryMath.erfc(3), 1e-10 * UnaryMath.erfc(3)); // below 3, 1 − erf loses ~5 digits of erfc(3) ≈ 2e-5
        assertEquals(0.8413447460685429, UnaryMath.normalCdf(1), 1e-15);
    }

    @Test
    void tableErfMatchesReferenceOnDenseGrid() {
        double worstErf = 0, worstErfcRel = 0;
        for (int i = -80_000; i <= 80_000; i++) {
            double x = i * 1e-4 + 0.3e-4; // off the table nodes
            worstErf = Math.max(worstErf, Math.abs(FastErf.erf(x) - UnaryMath.erf(x)));
            double e = UnaryMath.erfc(x);
            if (e > 0) worstErfcRel = Math.max(worstErfcRel, Math.abs(FastErf.erfc(x) - e) / e);
        }
        assertEquals(0, worstErf, 1e-12, "erf absolute error");
        assertEquals(0, worstErfcRel, 1e-9, "erfc relative error");
        for (double x : new double[] {-9, -5.5, -1, 0, 1e-8, 1, 5.5, 9})
            assertEquals(UnaryMath.normalCdf(x), FastErf.normalCdf(x), 1e-12 * Math.max(1e-30, UnaryMath.normalCdf(x)) + 1e-300);
    }
}
