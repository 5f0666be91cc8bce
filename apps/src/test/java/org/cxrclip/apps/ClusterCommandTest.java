package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cxrclip.clip.weights.SafetensorsWriter;
import org.cxrclip.clip.weights.StateDict;
import org.cxrclip.clip.weights.WeightTensor;
import org.cxrclip.clustering.AdjustedRandIndex;
import org.cxrclip.engine.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxrclip cluster} in-process on small safetensors fixtures written into a temp dir. */
class ClusterCommandTest {
    @TempDir
    Path dir;

    /** 3 separated Gaussian clusters in d = 4, row i in cluster i % 3. */
    private static float[] clusters(int n, int d) {
        Rng rng = new Rng(5);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) x[i * d + j] = (float) ((j == i % 3 ? 10 : 0) + 0.5 * rng.nextGaussian());
        return x;
    }

    private Path write(String name, float[] x, int... shape) throws IOException {
        Path f = dir.resolve(name);
        StateDict sd = new StateDict(f.toString());
        sd.put(WeightTensor.ofFloats("image_embeds", x, shape));
        sd.put(WeightTensor.ofFloats("text_embeds", new float[] {1, 2}, 1, 2));
        SafetensorsWriter.write(f, sd, Map.of());
        return f;
    }

    @Test
    void writesAssignmentsAndPrintsTheSummaryLine() throws IOException {
        int n = 300, d = 4;
        Path e = write("e.safetensors", clusters(n, d), n, d);
        Path out = dir.resolve("sub/assign.csv");
        for (String[] extra : new String[][] {{"--family", "student-t", "--nu", "learn"},
                {"--family", "gaussian", "--covariance", "full"}, {"--nu", "4", "--pca", "3", "--n-init", "2"}}) {
            String[] args = concat(new String[] {"cluster", "--embeddings", e.toString(), "--tensor", "image_embeds",
                    "--k", "3", "--seed", "1", "--out", out.toString()}, extra);
            CommandRun r = CommandRun.of(args);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.lastLine().matches("loglik=-?\\d+\\.\\d+ iterations=\\d+ converged=(true|false)"), r.lastLine());
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertEquals("index,cluster,prob", lines.get(0));
            assertEquals(n + 1, lines.size());
            int[] truth = new int[n], got = new int[n];
            for (int i = 0; i < n; i++) {
                String[] f = lines.get(i + 1).split(",");
                assertEquals(i, Integer.parseInt(f[0]));
                got[i] = Integer.parseInt(f[1]);
                truth[i] = i % 3;
                double p = Double.parseDouble(f[2]);
                assertTrue(p >= 1.0 / 3 && p <= 1, "prob " + p);
            }
            assertEquals(1.0, AdjustedRandIndex.of(truth, got), 1e-12, String.join(" ", extra));
        }
    }

    @Test
    void badInputGetsOneLineErrorsAndLeavesTheOutputAlone() throws IOException {
        int n = 30, d = 4;
        float[] x = clusters(n, d);
        Path e = write("e.safetensors", x, n, d);
        Path out = dir.resolve("assign.csv");
        Files.writeString(out, "keep me");
        String[] base = {"cluster", "--embeddings", e.toString(), "--k", "3", "--out", out.toString()};

        CommandRun r = CommandRun.of(concat(base, "--tensor", "pixels"));
        assertEquals(1, r.code());
        assertEquals("cluster: " + e + ": key 'pixels' is missing (the file holds image_embeds, text_embeds)", r.err().strip());

        x[7 * d + 2] = Float.NaN;
        Path bad = write("nan.safetensors", x, n, d);
        r = CommandRun.of("cluster", "--embeddings", bad.toString(), "--k", "3", "--out", out.toString());
        assertEquals("cluster: " + bad + ": tensor 'image_embeds': fit: row 7 has a non-finite value (NaN in column 2)",
                r.err().strip());

        r = CommandRun.of("cluster", "--embeddings", e.toString(), "--k", "40", "--out", out.toString());
        assertTrue(r.err().strip().endsWith("fit: N = 30 samples is fewer than K = 40 components"), r.err());

        Path flat = write("flat.safetensors", new float[12], 12);
        r = CommandRun.of("cluster", "--embeddings", flat.toString(), "--k", "3", "--out", out.toString());
        assertEquals("cluster: " + flat + ": tensor 'image_embeds' has shape [12], expected (N, d)", r.err().strip());

        r = CommandRun.of(concat(base, "--pca", "9"));
        assertTrue(r.err().strip().endsWith("fit: --pca 9 exceeds the data's d = 4"), r.err());
        r = CommandRun.of(concat(base, "--family", "gaussian", "--nu", "4"));
        assertEquals("cluster: --nu applies only to --family student-t", r.err().strip());
        r = CommandRun.of(concat(base, "--nu", "many"));
        assertEquals("cluster: --nu must be a number > 0 or 'learn', got 'many'", r.err().strip());
        r = CommandRun.of(concat(base, "--covariance", "round"));
        assertEquals("cluster: unknown covariance type 'round' (expected full, diag, spherical or tied)", r.err().strip());
        r = CommandRun.of("cluster", "--embeddings", dir.resolve("none.safetensors").toString(), "--k", "3",
                "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("none.safetensors"), r.err());
        assertEquals("keep me", Files.readString(out));
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
