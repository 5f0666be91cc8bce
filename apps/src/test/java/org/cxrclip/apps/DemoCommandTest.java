package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.cxrclip.engine.testing.SharedData;

/** The CI check of issue 7: {@code demo --quick} end to end, plus its input checks. */
class DemoCommandTest {
    @TempDir
    Path tmp;

    private static Path vocab() {
        return SharedData.vocabulary();
    }

    @Test
    void quickRunWritesAReportAndMetricsWithEveryKeyAndClsLearns() throws Exception {
        Path out = tmp.resolve("demo");
        CommandRun r = CommandRun.of("demo", "--quick", "--out", out.toString(), "--vocab", vocab().toString());
        assertEquals(0, r.code(), r.err());
        Path report = out.resolve("report.md");
        assertTrue(r.lastLine().contains("report: " + report.toAbsolutePath()), r.out());

        JsonObject metrics = JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject();
        JsonObject methods = metrics.getAsJsonObject("methods");
        assertEquals(List.of("cls-reports", "cls-meta", "cml"), new ArrayList<>(methods.keySet()));
        for (String m : methods.keySet()) {
            JsonObject auc = methods.getAsJsonObject(m).getAsJsonObject("auc");
            for (String g : List.of("total", "base", "rare")) {
                double v = auc.get(g).getAsDouble();
                JsonArray ci = auc.getAsJsonArray(g + "_ci");
                assertTrue(v > 0 && v < 1, m + " " + g + " = " + v);
                assertTrue(ci.get(0).getAsDouble() <= v && v <= ci.get(1).getAsDouble(), m + " " + g + " " + v + " outside " + ci);
                assertTrue(auc.get(g + "_classes").getAsInt() > 0, m + " " + g + ": no class with test positives");
            }
            assertEquals(40, methods.getAsJsonObject(m).getAsJsonObject("per_class_auc").size());
        }
        // The quick run must learn: zero-shot well above chance for both CLS methods (0.63 and 0.64 measured, bootstrap
        // half-widths about 0.03), the better one above 0.6.
        double best = 0;
        for (String m : List.of("cls-reports", "cls-meta")) {
            double total = methods.getAsJsonObject(m).getAsJsonObject("auc").get("total").getAsDouble();
            assertTrue(total > 0.58, m + " total AUC " + total + " is not well above 0.5");
            best = Math.max(best, total);
        }
        assertTrue(best > 0.6, "best CLS total AUC " + best);
        assertTrue(metrics.getAsJsonObject("wall_seconds").get("total").getAsDouble() > 0);
        assertFalse(metrics.get("verdict").getAsString().isBlank());

        String md = Files.readString(report);
        Matcher images = Pattern.compile("!\\[[^]]*]\\(([^)]+)\\)").matcher(md);
        int count = 0;
        while (images.find()) {
            Path png = out.resolve(images.group(1));
            assertTrue(Files.isRegularFile(png), "report.md references missing " + png);
            byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head, png + " is not a PNG");
            count++;
        }
        assertEquals(2, count, "loss and t-SNE plots");
        for (String m : methods.keySet()) assertTrue(md.contains("`" + m + "`"), "report.md has no row for " + m);
        assertTrue(md.contains("On this run, CXR-CML"), "report.md states the comparison");

        // A second run into the same folder is allowed: it is a previous demo's output.
        DemoCommand.checkOutputFolder(out);
    }

    @Test
    void refusesAFolderThatHoldsSomethingElse() throws Exception {
        Path dir = tmp.resolve("mine");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("thesis.tex"), "x");
        CommandRun r = CommandRun.of("demo", "--quick", "--out", dir.toString(), "--vocab", tmp.resolve("none.txt.gz").toString());
        assertEquals(1, r.code());
        assertEquals("demo: " + dir + ": folder is not empty and is not a previous demo output (no .cxrclip-demo); give a new --out DIR",
                r.err().strip());
        assertTrue(Files.readString(dir.resolve("thesis.tex")).equals("x"));
    }

    @Test
    void badFlagsAreOneLineErrors() {
        Map<String[], String> cases = Map.of(
                new String[] {"--nu", "3"}, "demo: --nu must be 2, 4, 6 or gaussian, got '3'",
                new String[] {"--methods", "cls,cml"}, "demo: unknown method 'cls' in --methods (known: cls-reports, cls-meta, cml)",
                new String[] {"--preset", "ViT-B/32"}, "demo: --preset must be small or tiny, got 'ViT-B/32'",
                new String[] {"--n", "10"}, "demo: --n must be at least 50 (three patient splits and batches), got 10",
                new String[] {"--batch", "1"}, "demo: --batch must be >= 2 (InfoNCE needs negatives), got 1");
        for (var c : cases.entrySet()) {
            List<String> args = new ArrayList<>(List.of("demo", "--out", tmp.resolve("x").toString()));
            args.addAll(List.of(c.getKey()));
            CommandRun r = CommandRun.of(args.toArray(String[]::new));
            assertEquals(1, r.code(), String.join(" ", args));
            assertEquals(c.getValue(), r.err().strip());
        }
        assertFalse(Files.exists(tmp.resolve("x")), "nothing is written before the flags are checked");
    }

    @Test
    void centringSubtractsEachImagesMeanOverLabels() {
        // Two images, three labels: row means 0.2 and -0.1 (by hand).
        float[] c = {0.1f, 0.2f, 0.3f, -0.4f, 0.2f, -0.1f};
        float[] got = DemoPipeline.centred(c, 2, 3);
        float[] want = {-0.1f, 0f, 0.1f, -0.3f, 0.3f, 0f};
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-6f, "element " + i);
    }

    @Test
    void stepsAreReadFromTheTrainersMetricsLines() throws Exception {
        Path m = tmp.resolve("metrics.jsonl");
        Files.writeString(m, """
                {"type":"step","epoch":0,"step":0,"loss":3.5,"lr":1.0E-4,"logit_scale":2.6,"grad_norm":1.0}
                {"type":"step","epoch":0,"step":1,"loss":3.25,"lr":1.0E-4,"logit_scale":2.6,"grad_norm":null,"contrastive":3.0,"triplet":0.25}
                {"type":"epoch","epoch":0,"steps_done":2,"steps":2,"mean_loss":3.375,"skipped_images":0}
                """);
        List<double[]> rows = DemoPipeline.readSteps(m);
        assertEquals(2, rows.size());
        assertEquals(0, rows.get(0)[0]);
        assertEquals(3.5, rows.get(0)[1]);
        assertTrue(Double.isNaN(rows.get(0)[2]) && Double.isNaN(rows.get(0)[3]));
        assertArrayEquals(new double[] {1, 3.25, 3.0, 0.25}, rows.get(1));
    }

    private static DemoPipeline.MethodResult result(DemoMethod m, double total, double lo, double hi, double rare) {
        var g = new org.cxrclip.train.metrics.AucSummary.Group(total, lo, hi, 28);
        var r = new org.cxrclip.train.metrics.AucSummary.Group(rare, rare - 0.05, rare + 0.05, 12);
        var auc = new org.cxrclip.train.metrics.AucSummary(List.of("A"), new double[] {total}, new boolean[] {false}, g, g, r);
        return new DemoPipeline.MethodResult(m, auc, auc, 1, 1, List.of(), 1, new DemoPipeline.Ari(0, 0, 2), new float[0], 1);
    }

    private static String verdict(DemoPipeline.MethodResult... rs) {
        var data = new DemoPipeline.Data(null, null, null, null, 0, new int[0], new int[0], java.util.Set.of());
        return new DemoReport(null, null, data, new DemoPipeline.Ari(0, 0, 2), 0, List.of(rs)).verdict().plain();
    }

    @Test
    void theVerdictComparesCmlWithTheBestClsAndSaysWhenIntervalsOverlap() {
        var reports = result(DemoMethod.CLS_REPORTS, 0.60, 0.58, 0.62, 0.5);
        var meta = result(DemoMethod.CLS_META, 0.70, 0.68, 0.72, 0.6);
        assertTrue(verdict(reports, meta, result(DemoMethod.CML, 0.75, 0.73, 0.77, 0.7)).startsWith(
                "CXR-CML beat the best CLS method (cls-meta) on total macro AUC: 0.750 [0.730, 0.770] vs 0.700 [0.680, 0.720]"));
        assertTrue(verdict(reports, meta, result(DemoMethod.CML, 0.71, 0.69, 0.73, 0.7)).startsWith(
                "CXR-CML scored higher than, but not clearly above, the best CLS method (cls-meta)"));
        assertTrue(verdict(reports, meta, result(DemoMethod.CML, 0.702, 0.68, 0.72, 0.7)).startsWith("CXR-CML tied with the best CLS"));
        assertTrue(verdict(reports, meta, result(DemoMethod.CML, 0.69, 0.67, 0.71, 0.7)).startsWith(
                "CXR-CML did not beat (it scored lower than, within the intervals of,) the best CLS method"));
        assertTrue(verdict(reports, meta, result(DemoMethod.CML, 0.60, 0.58, 0.62, 0.7)).startsWith(
                "CXR-CML did not beat (it scored clearly below) the best CLS method"));
        assertTrue(verdict(reports, meta).startsWith("no comparison"));
    }
}
