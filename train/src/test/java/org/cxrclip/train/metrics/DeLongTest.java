package org.cxrclip.train.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cxrclip.engine.Rng;
import org.junit.jupiter.api.Test;

class DeLongTest {
    @Test
    void handComputedTinyExample() {
        // Positives first. A: positives {3, 1}, negatives {2, 0}; B: positives {2, 2}, negatives {2, 3}.
        // A: psi rows (3 vs 2, 0) = (1, 1), (1 vs 2, 0) = (0, 1): AUC 3/4, V10 = (1, 1/2), V01 = (1/2, 1).
        // B: psi rows (2 vs 2, 3) = (1/2, 0) twice: AUC 1/4, V10 = (1/4, 1/4), V01 = (1/2, 0).
        // S10 = [[1/8, 0], [0, 0]], S01 = [[1/8, -1/8], [-1/8, 1/8]] (divisor 1); Cov = S10/2 + S01/2:
        // Var A = 1/8, Var B = 1/16, Cov = -1/16; Var(A - B) = 1/8 + 1/16 + 1/8 = 5/16; z = 0.5 / sqrt(5/16).
        DeLong.Estimate e = DeLong.estimate(new double[][] {{3, 1, 2, 0}, {2, 2, 2, 3}}, 2);
        assertArrayEquals(new double[] {0.75, 0.25}, e.auc(), 1e-15);
        assertEquals(0.125, e.covariance()[0][0], 1e-15);
        assertEquals(0.0625, e.covariance()[1][1], 1e-15);
        assertEquals(-0.0625, e.covariance()[0][1], 1e-15);
        assertEquals(-0.0625, e.covariance()[1][0], 1e-15);

        // The same through compare(), rows in mixed order with one NaN (left out) label.
        float[] truth = {0, 1, Float.NaN, 1, 0};
        float[] a = {2, 3, 9, 1, 0}, b = {2, 2, -9, 2, 3};
        DeLong.Comparison c = DeLong.compare(a, b, truth);
        assertEquals(0.5, c.difference(), 1e-15);
        assertEquals(5.0 / 16, c.variance(), 1e-15);
        assertEquals(0.5 / Math.sqrt(5.0 / 16), c.z(), 1e-12);
        assertEquals(0.37109336952269767, c.p(), 1e-12);  // Python: math.erfc(z / sqrt(2))
        assertEquals(2, c.positives());
        assertEquals(2, c.negatives());
    }

    @Test
    void matchesTheDefinitionComputedIndependentlyWithNumpy() throws IOException {
        List<String[]> lines = new ArrayList<>();
        try (var in = DeLongTest.class.getResourceAsStream("delong/delong_golden.txt")) {
            if (in == null) throw new IllegalStateException("delong/delong_golden.txt missing from the test resources");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String l; (l = r.readLine()) != null; ) if (!l.isBlank()) lines.add(l.trim().split(" "));
        }
        assertEquals(0, lines.size() % 5);
        for (int c = 0; c < lines.size(); c += 5) {
            float[] truth = floats(lines.get(c + 1)), a = floats(lines.get(c + 2)), b = floats(lines.get(c + 3));
            double[] want = Arrays.stream(lines.get(c + 4)).mapToDouble(Double::parseDouble).toArray();
            DeLong.Comparison got = DeLong.compare(a, b, truth);
            String at = "case " + c / 5;
            assertEquals(Integer.parseInt(lines.get(c)[1]), got.positives(), at);
            assertEquals(want[0], got.aucA(), 1e-12, at);
            assertEquals(want[1], got.aucB(), 1e-12, at);
            assertEquals(want[0], RocAuc.auc(a, truth), 1e-12, at);
            int m = got.positives(), p = 0, q = m;
            double[][] ordered = new double[2][a.length];
            for (int i = 0; i < a.length; i++) {
                int k = truth[i] == 1f ? p++ : q++;
                ordered[0][k] = a[i];
                ordered[1][k] = b[i];
            }
            double[][] cov = DeLong.estimate(ordered, m).covariance();
            assertEquals(want[2], cov[0][0], 1e-12, at);
            assertEquals(want[3], cov[1][1], 1e-12, at);
            assertEquals(want[4], cov[0][1], 1e-12, at);
            assertEquals(want[5], got.z(), 1e-9, at);
            assertEquals(want[6], got.p(), 1e-10 + 1e-9 * want[6], at);
        }
    }

    @Test
    void identicalScorersGiveZeroAndPOne() {
        Rng rng = new Rng(3);
        float[] s = new float[40], t = new float[40];
        for (int i = 0; i < 40; i++) {
            t[i] = i % 3 == 0 ? 1 : 0;
            s[i] = rng.nextFloat() + t[i] * 0.3f;
        }
        DeLong.Comparison c = DeLong.compare(s, s.clone(), t);
        assertEquals(0, c.difference());
        assertEquals(0, c.z());
        assertEquals(1, c.p());
        assertTrue(Double.isNaN(DeLong.compare(new float[] {1, 2, 3}, new float[] {1, 2, 3}, new float[] {1, 0, 0}).p()),
                "one positive: the variance is undefined");
    }

    @Test
    void normalTailMatchesPython() {
        // math.erfc(z / sqrt(2)) from Python 3.
        double[][] zp = {{0, 1.0}, {0.1, 0.920344325445942}, {1, 0.31731050786291415}, {1.96, 0.04999579029644087},
            {2.5, 0.012419330651552278}, {3, 0.0026997960632601913}, {4.2, 2.6691498031812692e-05},
            {6, 1.9731752900754024e-09}, {8.5, 1.895906964440671e-17}};
        for (double[] v : zp) {
            assertEquals(v[1], NormalTail.twoSided(v[0]), 1e-14 + 1e-12 * v[1], "z=" + v[0]);
            assertEquals(v[1], NormalTail.twoSided(-v[0]), 1e-14 + 1e-12 * v[1], "z=" + -v[0]);
        }
    }

    private static float[] floats(String[] f) {
        float[] v = new float[f.length];
        for (int i = 0; i < f.length; i++) v[i] = Float.parseFloat(f[i]);
        return v;
    }
}
