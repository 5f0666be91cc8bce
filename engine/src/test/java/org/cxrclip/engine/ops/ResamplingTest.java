package org.cxrclip.engine.ops;

import static org.cxrclip.engine.ops.LayerNormTest.assertMessage;
import static org.cxrclip.engine.testing.OpHarness.assertClose;
import static org.cxrclip.engine.testing.OpHarness.gradcheck;
import static org.cxrclip.engine.testing.OpHarness.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backends;
import org.junit.jupiter.api.Test;

/**
 * Bilinear resize and grid sampling against PyTorch 1.13 goldens ({@code tests/goldens/engine/
 * make_resampling_goldens.py} → {@code golden/resampling.txt}: outputs and input gradients), their gradients
 * against finite differences, and the separable resize kernel against its per-pixel twin.
 */
class ResamplingTest {
    /** One golden case: the named float arrays of a block. */
    record Case(String kind, Map<String, float[]> v) {
        int[] ints(String k) {
            float[] f = v.get(k);
            int[] r = new int[f.length];
            for (int i = 0; i < f.length; i++) r[i] = (int) f[i];
            return r;
        }
    }

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (var in = ResamplingTest.class.getResourceAsStream("/golden/resampling.txt")) {
            if (in == null) throw new IOException("golden/resampling.txt missing (run tests/goldens/engine/make_resampling_goldens.py)");
            var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String kind = null;
            Map<String, float[]> vals = null;
            for (String line; (line = r.readLine()) != null; ) {
                String[] p = line.trim().split(" ");
                if (p[0].equals("case")) {
                    kind = p[1];
                    vals = new LinkedHashMap<>();
                } else if (p[0].equals("end")) {
                    out.add(new Case(kind, vals));
                } else {
                    int n = Integer.parseInt(p[1]);
                    float[] f = new float[n];
                    for (int i = 0; i < n; i++) f[i] = Float.parseFloat(p[2 + i]);
                    vals.put(p[0], f);
                }
            }
        }
        return out;
    }

    @Test
    void matchesPyTorchInterpolateAndGridSample() throws IOException {
        List<Case> cases = cases();
        assertEquals(7, cases.size(), "golden cases");
        for (Case c : cases) {
            int[] s = c.ints("xshape"), size = c.ints("outsize");
            Tensor x = Tensor.of(Backends.reference(), c.v().get("x"), s).requiresGrad(true);
            Tensor y = switch (c.kind()) {
                case "resize" -> BilinearResize.resize(x, size[0], size[1]);
                case "affine" -> {
                    float[] grid = GridSample.affineGrid(c.v().get("theta"), s[0], size[0], size[1]);
                    assertClose("affine_grid", c.v().get("grid"), grid, 1e-5, 1e-6);
                    yield GridSample.sample(x, grid, size[0], size[1]);
                }
                case "grid" -> GridSample.sample(x, c.v().get("grid"), size[0], size[1]);
                default -> throw new AssertionError(c.kind());
            };
            String what = c.kind() + " " + java.util.Arrays.toString(s) + " -> " + java.util.Arrays.toString(size);
            assertClose(what + " forward", c.v().get("y"), y.toArray(), 1e-5, 1e-5);
            y.backward(Tensor.of(Backends.reference(), c.v().get("w"), y.shape()));
            assertClose(what + " gradient", c.v().get("gx"), x.grad().toArray(), 1e-5, 1e-5);
        }
    }

    @Test
    void resizeGradientMatchesFiniteDifferences() {
        qt().withFixedSeed(5).withExamples(12)
                .forAll(integers().between(1, 6), integers().between(1, 6), integers().between(1, 9), longs().all())
                .checkAssert((h, w, o, seed) -> {
                    int oh = o, ow = 10 - o;
                    float[][] in = {values(seed, 2 * h * w)};
                    gradcheck("resize", t -> BilinearResize.resize(t[0], oh, ow), in, new int[][] {{1, 2, h, w}});
                });
    }

    @Test
    void gridSampleGradientMatchesFiniteDifferences() {
        qt().withFixedSeed(6).withExamples(10)
                .forAll(integers().between(1, 5), integers().between(1, 5), longs().all())
                .checkAssert((h, w, seed) -> {
                    // grid points strictly inside cells: away from the kinks at integer pixel coordinates
                    float[] grid = values(seed + 1, 2 * 3 * 4 * 2, -1.2f, 1.2f);
                    float[][] in = {values(seed, 2 * h * w)};
                    gradcheck("gridSample", t -> GridSample.sample(t[0], grid, 3, 4), in, new int[][] {{2, 1, h, w}});
                });
    }

    @Test
    void separableResizeEqualsPerPixelTwin() {
        qt().withFixedSeed(7).withExamples(30)
                .forAll(integers().between(1, 40), integers().between(1, 40), integers().between(1, 40), longs().all())
                .checkAssert((h, w, o, seed) -> {
                    float[] x = values(seed, 3 * h * w);
                    float[] fast = new float[3 * o * (o + 1)], naive = new float[fast.length];
                    ResamplingKernels.resize(x, fast, 3, h, w, o, o + 1);
                    ResamplingKernels.resizeNaive(x, naive, 3, h, w, o, o + 1);
                    assertClose("resize vs naive", naive, fast, 1e-6, 1e-6);
                });
    }

    @Test
    void identityAffineGridReproducesTheImage() {
        float[] x = values(3, 2 * 7 * 5);
        Tensor t = Tensor.of(Backends.reference(), x, 2, 1, 7, 5);
        float[] id = {1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0};
        assertClose("identity warp", x, GridSample.sample(t, GridSample.affineGrid(id, 2, 7, 5), 7, 5).toArray(), 0, 1e-6);
        assertArrayEquals(x, BilinearResize.resize(t, 7, 5).toArray());
    }

    /** Each check throws the documented exception with the op's name and the offending value, not whatever the kernel would. */
    @Test
    void badArgumentsAreNamed() {
        Tensor t = Tensor.zeros(Backends.reference(), 1, 1, 4, 4);
        assertMessage(() -> BilinearResize.resize(t, 0, 3), "resize", "0x3");
        assertMessage(() -> BilinearResize.resize(Tensor.zeros(Backends.reference(), 4, 4), 2, 2), "resize", "rank");
        // (N, outH, outW, 2) = (1, 2, 2, 2) needs 8 values; an unchecked kernel would read past 5 and throw
        // ArrayIndexOutOfBoundsException, which names nothing.
        assertMessage(() -> GridSample.sample(t, new float[5], 2, 2), "gridSample", "grid of 5 values");
        assertMessage(() -> GridSample.sample(t, new float[] {Float.NaN, 0}, 1, 1), "gridSample", "NaN at 0");
        assertMessage(() -> GridSample.affineGrid(new float[5], 1, 2, 2), "affineGrid", "theta has 5 values");
    }
}
