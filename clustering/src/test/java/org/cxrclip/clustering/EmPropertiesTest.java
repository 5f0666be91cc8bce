package org.cxrclip.clustering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.cxrclip.engine.Rng;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Properties of EM that hold for any data: monotone log-likelihood, independence of sample order. */
class EmPropertiesTest {
    private static final CovarianceType[] TYPES = CovarianceType.values();

    @AfterEach
    void restoreKernelChoice() {
        BlockKernels.forceExact = null;
    }

    private static Synthetic overlapping(long seed, int n, int d) {
        // Overlapping components so EM takes many small steps (the interesting regime for monotonicity).
        double[] means = new double[3 * d];
        Rng rng = new Rng(seed ^ 0xABCDL);
        for (int i = 0; i < means.length; i++) means[i] = 3 * rng.nextGaussian();
        double[] chol = Synthetic.identities(3, d, 1);
        for (int c = 0; c < 3; c++) for (int a = 1; a < d; a++) chol[c * d * d + a * d] = 0.5 * rng.nextGaussian();
        return Synthetic.mixture(seed, n, d, means, chol, new double[] {0.5, 0.3, 0.2}, 5, 0.02, 15);
    }

    private static Mixture model(int family, MixtureOptions o) {
        return switch (family) {
            case 0 -> new GaussianMixture(o);
            case 1 -> StudentTMixture.fixedNu(o, 4);
            default -> StudentTMixture.learnedNu(o);
        };
    }

    private static void assertNonDecreasing(double[] trace, double relTol, String what) {
        for (int i = 1; i < trace.length; i++)
            assertTrue(trace[i] >= trace[i - 1] - relTol * Math.abs(trace[i - 1]),
                    what + ": log-likelihood fell at iteration " + i + ": " + trace[i - 1] + " -> " + trace[i]);
    }

    @Test
    void logLikelihoodNeverDecreases() {
        qt().withExamples(30).withFixedSeed(42).forAll(longs().between(0, 1 << 20), integers().between(0, 3),
                integers().between(0, 2)).checkAssert((seed, type, family) -> {
                    Synthetic s = overlapping(seed, 400, 3);
                    MixtureOptions o = MixtureOptions.defaults(3).withCovariance(TYPES[type]).withSeed(seed)
                            .withTol(0).withMaxIter(25);
                    MixtureFit fit = model(family, o).fit(s.x, s.n, s.d);
                    assertTrue(fit.trace().length >= 2, "EM ran"); // with tol 0 it stops only on an exact repeat
                    assertNonDecreasing(fit.trace(), 1e-10, TYPES[type] + " family " + family + " seed " + seed);
                });
    }

    @Test
    void logLikelihoodNeverDecreasesThroughTheGemmKernels() {
        BlockKernels.forceExact = false;
        for (CovarianceType type : TYPES) {
            for (int family = 0; family < 3; family++) {
                Synthetic s = overlapping(17 + family, 3000, 6);
                MixtureOptions o = MixtureOptions.defaults(3).withCovariance(type).withTol(0).withMaxIter(20);
                // Float GEMMs round δ² at ~1e-7 relative: allow that much, far below any real M-step error.
                assertNonDecreasing(model(family, o).fit(s.x, s.n, s.d).trace(), 2e-6, type + " family " + family);
            }
        }
    }

    @Test
    void sampleOrderDoesNotChangeTheFit() {
        // Definition: for a fixed seed, fitting a permutation of the rows gives the bit-identical parameters and
        // log-likelihood, and every row keeps its cluster label.
        qt().withExamples(6).withFixedSeed(7).forAll(longs().between(0, 1 << 20), integers().between(0, 3))
                .checkAssert((seed, type) -> {
                    Synthetic s = overlapping(seed, 500, 4);
                    int[] perm = permutation(s.n, new Rng(seed + 1));
                    float[] px = new float[s.x.length];
                    for (int i = 0; i < s.n; i++) System.arraycopy(s.x, perm[i] * s.d, px, i * s.d, s.d);
                    MixtureOptions o = MixtureOptions.defaults(3).withCovariance(TYPES[type]).withSeed(seed);
                    Mixture a = StudentTMixture.learnedNu(o), b = StudentTMixture.learnedNu(o);
                    MixtureFit fa = a.fit(s.x, s.n, s.d), fb = b.fit(px, s.n, s.d);
                    assertEquals(fa.logLikelihood(), fb.logLikelihood(), 0.0);
                    assertArrayEquals(a.means(), b.means(), 0.0);
                    assertArrayEquals(a.nu(), b.nu(), 0.0);
                    for (int i = 0; i < s.n; i++) assertEquals(fa.labels()[perm[i]], fb.labels()[i], "row " + i);
                });
    }

    @Test
    void threadCountDoesNotChangeTheFit() {
        Synthetic s = overlapping(3, 20000, 4);
        MixtureOptions o = MixtureOptions.defaults(3).withCovariance(CovarianceType.FULL);
        int threads = org.cxrclip.engine.Parallel.threads();
        try {
            org.cxrclip.engine.Parallel.setThreads(1);
            double one = new GaussianMixture(o).fit(s.x, s.n, s.d).logLikelihood();
            org.cxrclip.engine.Parallel.setThreads(3);
            assertEquals(one, new GaussianMixture(o).fit(s.x, s.n, s.d).logLikelihood(), 0.0);
        } finally {
            org.cxrclip.engine.Parallel.setThreads(threads);
        }
    }

    static int[] permutation(int n, Rng rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
