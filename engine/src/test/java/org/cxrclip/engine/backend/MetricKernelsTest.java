package org.cxrclip.engine.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.MetricKernels.Mining;
import org.cxrclip.engine.backend.MetricKernels.Reduction;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;

/**
 * Triplet selection on every fast backend (CPU, and OpenCL when requested) against the reference loops, for both
 * minings and both reductions: random distances and labels over awkward batch sizes (1, 2, 3, 17, one more than a
 * work-group, 200) and label counts (one label, two, a few, all distinct), the CPU bit for bit; integer distances
 * full of ties (batch-hard's first-index rule, hinges exactly 0 that must not count); one batch computed by hand;
 * and the outputs overwritten, at non-zero offsets.
 *
 * <p>Tolerance: every backend rounds each hinge to float the same way, so the same triplets count and the
 * unscaled gradient is the same integers; the scale 1/count may differ by the device's division (a few ulp), the
 * loss by the order of the sums (float partials with compensation against the reference's double): 1e-5 relative.
 */
class MetricKernelsTest {
    private static final float MARGIN = 0.3f;

    private record Result(float loss, float[] gradient) {}

    /** D, loss and gradient as views at non-zero offsets of larger buffers pre-filled with 7, so kernels must honour
     * offsets and overwrite everything they own. */
    private static Result run(Backend be, float[] d, int[] labels, float margin, Mining m, Reduction r) {
        int b = labels.length, n = b * b;
        float[] padded = new float[n + 8];
        System.arraycopy(d, 0, padded, 3, n);
        Tensor dist = Tensor.of(be, padded, padded.length).rows(3, 3 + n).view(b, b);
        Tensor gradBuf = Tensor.full(be, 7f, n + 5), lossBuf = Tensor.full(be, 7f, 4);
        Tensor grad = gradBuf.rows(2, 2 + n).view(b, b), loss = lossBuf.rows(1, 2).view();
        be.metric().triplet(dist, labels, margin, m, r, loss, grad);
        float[] g = gradBuf.toArray(), l = lossBuf.toArray();
        for (int i : new int[] {0, 1, n + 2, n + 3, n + 4}) assertEquals(7f, g[i], "gradient buffer outside the view");
        assertEquals(7f, l[0]);
        assertEquals(7f, l[2]);
        return new Result(l[1], java.util.Arrays.copyOfRange(g, 2, 2 + n));
    }

    private static List<Backend> withReference() {
        List<Backend> all = new ArrayList<>(OpHarness.fastBackends());
        all.add(0, Backends.reference());
        return all;
    }

    private static int[] labels(long seed, int b, int classes) {
        Rng rng = new Rng(seed);
        int[] l = new int[b];
        for (int i = 0; i < b; i++) l[i] = classes >= b ? 1000 - 3 * i : rng.nextInt(classes) - 1; // -1 is a label too
        return l;
    }

    private static void assertAgree(String what, Result ref, Result got) {
        assertEquals(ref.loss(), got.loss(), 1e-5 * Math.abs(ref.loss()) + 1e-7, what + " loss");
        OpHarness.assertClose(what + " gradient", ref.gradient(), got.gradient(), 1e-5, 1e-9);
    }

    @Test
    void randomBatchesAgreeWithTheReference() {
        int[] sizes = {1, 2, 3, 17, 129, 200};
        int[] classes = {1, 2, 5, Integer.MAX_VALUE};
        for (Backend fast : OpHarness.fastBackends())
            for (int b : sizes)
                for (int k : classes) {
                    float[] d = OpHarness.values(31L * b + k, b * b, 0f, 2f);
                    int[] lab = labels(b + 17L * k, b, k);
                    for (Mining m : Mining.values())
                        for (Reduction r : Reduction.values()) {
                            String what = m + " " + r + " B=" + b + " classes=" + k + " on " + fast.name();
                            Result ref = run(Backends.reference(), d, lab, MARGIN, m, r), got = run(fast, d, lab, MARGIN, m, r);
                            assertAgree(what, ref, got);
                            if (fast == Backends.cpu()) { // the reference's loops in parallel over anchors: its bits
                                assertEquals(ref.loss(), got.loss(), what);
                                assertArrayEquals(ref.gradient(), got.gradient(), what);
                            }
                        }
                }
    }

    /**
     * Distances in {0, 1, 2, 3} with margin 1: batch-hard meets equal farthest positives and nearest negatives
     * (the first index wins), and batch-all meets hinges of exactly 0, which do not count. All values are exact,
     * so the backends agree to the division's rounding.
     */
    @Test
    void tiesAndZeroHingesAgreeWithTheReference() {
        for (Backend fast : OpHarness.fastBackends())
            for (int b : new int[] {6, 40, 131}) {
                Rng rng = new Rng(b);
                float[] d = new float[b * b];
                for (int i = 0; i < d.length; i++) d[i] = rng.nextInt(4);
                int[] lab = labels(5 + b, b, 3);
                for (Mining m : Mining.values())
                    for (Reduction r : Reduction.values()) {
                        Result ref = run(Backends.reference(), d, lab, 1f, m, r), got = run(fast, d, lab, 1f, m, r);
                        String what = m + " " + r + " ties B=" + b + " on " + fast.name();
                        assertAgree(what, ref, got);
                        if (r == Reduction.SUM) assertArrayEquals(ref.gradient(), got.gradient(), what + ": integer gradient");
                    }
            }
    }

    // Points on a line x = [0, 1, 3, 4], labels [0, 0, 1, 1], margin 1.5 (TripletLossTest's batch): D[i][j] = |xi − xj|.
    // Batch-all: the active triplets are (a1, p0, n2) and (a2, p3, n1), hinge 0.5 each: mean 0.5 over 2, sum 1.0;
    // dL/dD[1,0] = +w, [1,2] = −w, [2,3] = +w, [2,1] = −w. Batch-hard: anchor 1 (farthest p0, nearest n2) and
    // anchor 2 (p3, n1) are active with 0.5; the mean is over all 4 valid anchors: 0.25, w = 1/4.
    private static final float[] LINE_D = {0, 1, 3, 4, 1, 0, 2, 3, 3, 2, 0, 1, 4, 3, 1, 0};
    private static final int[] LINE_LABELS = {0, 0, 1, 1};

    private static float[] lineGradient(float w) {
        float[] g = new float[16];
        g[4] = w;
        g[6] = -w;
        g[11] = w;
        g[9] = -w;
        return g;
    }

    @Test
    void handComputedBatchOnEveryBackend() {
        for (Backend be : withReference()) {
            Object[][] cases = {
                    {Mining.BATCH_ALL, Reduction.MEAN, 0.5f, 0.5f}, {Mining.BATCH_ALL, Reduction.SUM, 1f, 1f},
                    {Mining.BATCH_HARD, Reduction.MEAN, 0.25f, 0.25f}, {Mining.BATCH_HARD, Reduction.SUM, 1f, 1f}};
            for (Object[] c : cases) {
                Result got = run(be, LINE_D, LINE_LABELS, 1.5f, (Mining) c[0], (Reduction) c[1]);
                String what = c[0] + " " + c[1] + " on " + be.name();
                assertEquals((float) c[2], got.loss(), 1e-6, what);
                assertArrayEquals(lineGradient((float) c[3]), got.gradient(), 1e-7f, what);
            }
            // Margin 0.5: every valid triplet is easy, so batch-all mean has no positive triplet: 0, not NaN.
            Result easy = run(be, LINE_D, LINE_LABELS, 0.5f, Mining.BATCH_ALL, Reduction.MEAN);
            assertEquals(0f, easy.loss(), be.name());
            assertArrayEquals(new float[16], easy.gradient(), be.name());
        }
    }

    /** One label only (no negatives) and all labels distinct (no positives): nothing counts, loss and gradient 0. */
    @Test
    void degenerateBatchesGiveZero() {
        for (Backend be : withReference())
            for (int b : new int[] {1, 5, 130}) {
                float[] d = OpHarness.values(b, b * b, 0f, 2f);
                int[] same = new int[b], distinct = new int[b];
                java.util.Arrays.fill(same, 4);
                for (int i = 0; i < b; i++) distinct[i] = i;
                for (int[] lab : new int[][] {same, distinct})
                    for (Mining m : Mining.values())
                        for (Reduction r : Reduction.values()) {
                            Result got = run(be, d, lab, MARGIN, m, r);
                            String what = m + " " + r + " B=" + b + " on " + be.name();
                            assertEquals(0f, got.loss(), what);
                            assertArrayEquals(new float[b * b], got.gradient(), what);
                        }
            }
    }
}
