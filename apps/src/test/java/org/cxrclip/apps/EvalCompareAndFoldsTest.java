package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cxrclip.train.data.Csv;
import org.cxrclip.train.metrics.DeLong;
import org.cxrclip.train.metrics.RocAuc;
import org.cxrclip.train.metrics.ScoreTable;
import org.cxrclip.train.synth.SynthDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.cxrclip.engine.testing.SharedData;

/**
 * The files behind {@code eval compare} (scores.csv, eval.json), the comparison itself and its input checks, and
 * {@code --folds} on zero-shot, linear probe and training, all on a tiny random CLIP and generated images.
 */
class EvalCompareAndFoldsTest {
    @TempDir
    static Path dir;
    static Path vocab, synth, withSplit;
    static Map<String, String> patientOf = new HashMap<>();

    @BeforeAll
    static void data() throws IOException {
        vocab = SharedData.vocabulary();
        synth = SynthDataset.generate(dir.resolve("synth"), new SynthDataset.Options(36, 4, 32, 0.05), d -> { });
        // The same images with a split column: every third patient is test.
        Csv.Table t = Csv.read(synth);
        StringBuilder b = new StringBuilder(String.join(",", t.header()) + ",split\n");
        for (List<String> row : t.rows()) {
            patientOf.put(row.get(0), row.get(1));
            int p = Integer.parseInt(row.get(1).substring(1));
            for (int c = 0; c < row.size(); c++) b.append(c > 0 ? "," : "").append(quote(row.get(c)));
            b.append(',').append(p % 3 == 0 ? "test" : "train").append('\n');
        }
        withSplit = synth.resolveSibling("split.csv");
        Files.writeString(withSplit, b);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static CommandRun zeroShot(Path manifest, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("eval", "zero-shot", "--preset", "tiny", "--manifest", manifest.toString(),
                "--prompts", "present", "--vocab", vocab.toString(), "--rare-threshold", "4", "--out", out.toString()));
        args.addAll(List.of(more));
        CommandRun r = CommandRun.of(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return r;
    }

    @Test
    void scoresCsvHoldsTruthAndScoreAndEvalJsonTheSetup() throws IOException {
        Path out = dir.resolve("zs-files");
        zeroShot(withSplit, out);
        ScoreTable t = ScoreTable.read(out.resolve("scores.csv"));
        List<String> header = Files.readAllLines(out.resolve("scores.csv")).get(0).lines().toList();
        assertTrue(header.get(0).startsWith("image," + t.labels().get(0) + ".truth," + t.labels().get(0) + ".score,"), header.get(0));
        // Test rows only, ids as in the manifest, truths equal the manifest's labels.
        Csv.Table m = Csv.read(withSplit);
        int split = m.column("split");
        Map<String, List<String>> rows = new HashMap<>();
        for (List<String> row : m.rows()) if (row.get(split).equals("test")) rows.put(row.get(0), row);
        assertEquals(rows.keySet(), new HashSet<>(t.ids()));
        for (int i = 0; i < t.size(); i++)
            for (int j = 0; j < t.labels().size(); j++)
                assertEquals(Float.parseFloat(rows.get(t.ids().get(i)).get(m.column(t.labels().get(j)))),
                        t.truth()[i * t.labels().size() + j], t.ids().get(i) + " " + t.labels().get(j));
        String json = Files.readString(out.resolve("eval.json"));
        for (String key : List.of("\"command\":\"zero-shot\"", "\"prompts\":\"present\"", "\"rare_threshold\":4",
                "\"train_positives\":{", "\"preset\":\"tiny\"", "\"uncertain\":\"negative\"", "\"bootstrap_seed\":0"))
            assertTrue(json.contains(key), key + " in " + json);
        // Positive counts come from the train rows only.
        String first = t.labels().get(0);
        long pos = m.rows().stream().filter(r -> r.get(split).equals("train") && r.get(m.column(first)).equals("1")).count();
        assertTrue(json.contains("\"train_positives\":{\"" + first + "\":" + pos + ","), json);

        Path lp = dir.resolve("lp-files");
        CommandRun r = CommandRun.of("eval", "linear-probe", "--preset", "tiny", "--manifest", withSplit.toString(),
                "--rare-threshold", "4", "--out", lp.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(t.ids(), ScoreTable.read(lp.resolve("scores.csv")).ids(), "same test rows, same order");
        assertTrue(Files.readString(lp.resolve("eval.json")).contains("\"command\":\"linear-probe\""));
    }

    @Test
    void compareReportsBootstrapAndDeLongAndChecksTheTestSet() throws IOException {
        Path a = dir.resolve("cmp-a"), b = dir.resolve("cmp-b");
        zeroShot(withSplit, a);
        zeroShot(withSplit, b, "--seed", "7");  // another random model, same test set

        CommandRun same = CommandRun.of("eval", "compare", a.toString(), a.toString(), "--resamples", "100",
                "--out", dir.resolve("same.csv").toString());
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("bootstrap total A="), same.out());
        assertTrue(same.out().matches("(?s).*bootstrap total .* diff=\\+0\\.0000 95% CI \\[\\+0\\.0000, \\+0\\.0000\\] p=1\\.0000.*"),
                same.out());

        Path csv = dir.resolve("ab.csv");
        CommandRun r = CommandRun.of("eval", "compare", a.toString(), b.toString(), "--resamples", "200", "--seed", "3",
                "--out", csv.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("method,group,label,auc_a,auc_b,diff,ci_low,ci_high,z,p", lines.get(0));
        ScoreTable ta = ScoreTable.read(a.resolve("scores.csv")), tb = ScoreTable.read(b.resolve("scores.csv"));
        int l = ta.labels().size(), n = ta.size();
        assertEquals(1 + 3 + l, lines.size());
        // Each DeLong row equals the statistics recomputed from the two score files.
        for (int j = 0; j < l; j++) {
            float[] sa = new float[n], sb = new float[n], y = new float[n];
            for (int i = 0; i < n; i++) {
                sa[i] = ta.scores()[i * l + j];
                sb[i] = tb.scores()[i * l + j];
                y[i] = ta.truth()[i * l + j];
            }
            String[] f = lines.get(4 + j).split(",");
            assertEquals("delong", f[0]);
            assertEquals(ta.labels().get(j), f[2]);
            DeLong.Comparison c = DeLong.compare(sa, sb, y);
            if (Double.isNaN(c.aucA())) {
                assertEquals("nan", f[3]);
                continue;
            }
            assertEquals(RocAuc.auc(sa, y), Double.parseDouble(f[3]), 1e-4);
            assertEquals(RocAuc.auc(sb, y), Double.parseDouble(f[4]), 1e-4);
            if (!Double.isNaN(c.p())) assertEquals(c.p(), Double.parseDouble(f[9]), 1e-4 + 1e-3 * c.p());
        }
        String[] total = lines.get(1).split(",");
        assertEquals("bootstrap", total[0]);
        assertEquals("total", total[1]);
        double diff = Double.parseDouble(total[5]), lo = Double.parseDouble(total[6]), hi = Double.parseDouble(total[7]);
        assertTrue(lo <= diff + 1e-4 && diff <= hi + 1e-4, lines.get(1));
        double p = Double.parseDouble(total[9]);
        assertTrue(p > 0 && p <= 1, lines.get(1));

        CommandRun delongOnly = CommandRun.of("eval", "compare", a.toString(), b.toString(), "--method", "delong",
                "--out", dir.resolve("d.csv").toString());
        assertEquals(0, delongOnly.code(), delongOnly.err());
        assertTrue(!delongOnly.out().contains("bootstrap") && delongOnly.out().contains("delong "), delongOnly.out());
    }

    @Test
    void compareRefusesDifferentTestSetsTruthsAndGroups() throws IOException {
        Path a = dir.resolve("bad-a"), all = dir.resolve("bad-all");
        zeroShot(withSplit, a);
        zeroShot(synth, all);  // no split column: every image scored
        CommandRun r = CommandRun.of("eval", "compare", a.toString(), all.toString(), "--out", dir.resolve("x.csv").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("different test sets: image 'images/") && r.err().contains("is scored in " + all)
                && !r.err().contains("\tat "), r.err());

        // One truth flipped in a copy: named by image and label.
        Path flipped = dir.resolve("bad-flip");
        Files.createDirectories(flipped);
        Files.copy(a.resolve("auc.csv"), flipped.resolve("auc.csv"));
        List<String> rows = new ArrayList<>(Files.readAllLines(a.resolve("scores.csv")));
        String[] f = rows.get(2).split(",", -1);
        f[1] = f[1].equals("1") ? "0" : "1";
        rows.set(2, String.join(",", f));
        Files.write(flipped.resolve("scores.csv"), rows);
        String label = rows.get(0).split(",")[1].replace(".truth", "");
        r = CommandRun.of("eval", "compare", a.toString(), flipped.toString(), "--out", dir.resolve("x.csv").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("different truths: image '" + f[0] + "' label '" + label + "'"), r.err());

        // Another rare threshold: another grouping.
        Path grouped = dir.resolve("bad-group");
        r = CommandRun.of("eval", "zero-shot", "--preset", "tiny", "--manifest", withSplit.toString(), "--prompts", "present",
                "--vocab", vocab.toString(), "--rare-threshold", "1000", "--out", grouped.toString());
        assertEquals(0, r.code(), r.err());
        r = CommandRun.of("eval", "compare", a.toString(), grouped.toString(), "--out", dir.resolve("x.csv").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("is base in " + a + " but rare in " + grouped), r.err());

        r = CommandRun.of("eval", "compare", a.toString(), dir.resolve("nowhere").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("nowhere/scores.csv: not found"), r.err());
        r = CommandRun.of("eval", "compare", a.toString(), a.toString(), "--method", "t-test");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--method must be bootstrap, delong or both, got 't-test'"), r.err());
    }

    @Test
    void zeroShotAndLinearProbeFoldsArePatientDisjointAndSummarised() throws IOException {
        for (String cmd : List.of("zero-shot", "linear-probe")) {
            Path out = dir.resolve("folds-" + cmd);
            CommandRun r = cmd.equals("zero-shot") ? zeroShot(withSplit, out, "--folds", "3")
                    : CommandRun.of("eval", "linear-probe", "--preset", "tiny", "--manifest", withSplit.toString(),
                            "--rare-threshold", "4", "--folds", "3", "--out", out.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains(cmd + ": folds=3 total="), r.out());
            assertTrue(r.lastLine().matches("auc total=\\d\\.\\d{4} base=(\\d\\.\\d{4}|nan) rare=(\\d\\.\\d{4}|nan)"), r.lastLine());
            Set<String> seen = new HashSet<>();
            Map<String, Integer> foldOfPatient = new HashMap<>();
            double sum = 0, sumSq = 0;
            for (int i = 0; i < 3; i++) {
                ScoreTable t = ScoreTable.read(out.resolve("fold-" + i).resolve("scores.csv"));
                assertTrue(t.size() > 0, cmd + " fold " + i + " is empty");
                for (String id : t.ids()) {
                    assertTrue(seen.add(id), id + " in two folds");
                    Integer before = foldOfPatient.put(patientOf.get(id), i);
                    assertTrue(before == null || before == i, "patient " + patientOf.get(id) + " in folds " + before + " and " + i);
                }
                assertTrue(Files.readString(out.resolve("fold-" + i).resolve("eval.json")).contains("\"fold\":" + i + ",\"folds\":3"));
                double total = Double.parseDouble(Files.readAllLines(out.resolve("fold-" + i).resolve("auc.csv")).stream()
                        .filter(s -> s.startsWith("macro,total,")).findFirst().orElseThrow().split(",")[2]);
                sum += total;
                sumSq += total * total;
            }
            assertEquals(patientOf.keySet(), seen, "every image (split column ignored) is tested once");
            List<String> folds = Files.readAllLines(out.resolve("folds.csv"));
            assertEquals("fold,total,base,rare", folds.get(0));
            assertEquals(6, folds.size());
            double mean = sum / 3, sd = Math.sqrt((sumSq - 3 * mean * mean) / 2);
            assertEquals(mean, Double.parseDouble(folds.get(4).split(",")[1]), 2e-4, folds.toString());
            assertEquals(sd, Double.parseDouble(folds.get(5).split(",")[1]), 2e-4, folds.toString());
            assertTrue(r.lastLine().startsWith("auc total=" + folds.get(4).split(",")[1] + " "), r.lastLine());
        }
        CommandRun bad = CommandRun.of("eval", "zero-shot", "--preset", "tiny", "--manifest", synth.toString(), "--prompts",
                "present", "--vocab", vocab.toString(), "--folds", "1", "--out", dir.resolve("f1").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("--folds must be >= 2, got 1"), bad.err());
    }

    @Test
    void uncertainLabelsFollowThePolicy() throws IOException {
        // Four synthetic images, label A: 1, -1, 0, blank; label B: 1, 0, -1, 0.
        Csv.Table t = Csv.read(synth);
        StringBuilder b = new StringBuilder("image,patient_id,A,B\n");
        String[][] labels = {{"1", "1"}, {"-1", "0"}, {"0", "-1"}, {"", "0"}};
        for (int i = 0; i < 4; i++) b.append(t.rows().get(i).get(0)).append(",p").append(i).append(',').append(labels[i][0])
                .append(',').append(labels[i][1]).append('\n');
        Path m = synth.resolveSibling("uncertain.csv");
        Files.writeString(m, b);
        Map<String, String> want = Map.of("negative", "1 0 0 0 | 1 0 0 0", "positive", "1 1 0 0 | 1 0 1 0",
                "ignore", "1 nan 0 0 | 1 0 nan 0");
        for (var e : want.entrySet()) {
            Path out = dir.resolve("unc-" + e.getKey());
            zeroShot(m, out, "--uncertain", e.getKey());
            ScoreTable s = ScoreTable.read(out.resolve("scores.csv"));
            StringBuilder got = new StringBuilder();
            for (int j = 0; j < 2; j++) {
                for (int i = 0; i < 4; i++) {
                    float v = s.truth()[i * 2 + j];
                    got.append(Float.isNaN(v) ? "nan" : String.valueOf((int) v)).append(i < 3 ? " " : "");
                }
                if (j == 0) got.append(" | ");
            }
            assertEquals(e.getValue(), got.toString(), e.getKey());
            assertTrue(Files.readString(out.resolve("eval.json")).contains("\"uncertain\":\"" + e.getKey() + "\""));
        }
        CommandRun r = CommandRun.of("eval", "linear-probe", "--preset", "tiny", "--manifest", m.toString(), "--uncertain", "maybe",
                "--out", dir.resolve("unc-bad").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--uncertain must be negative, positive or ignore, got 'maybe'"), r.err());
    }

    @Test
    void trainFoldsTrainsPerFoldAndEvaluatesTheHeldOutOne() throws IOException {
        Path run = dir.resolve("train-folds");
        CommandRun r = CommandRun.of("train", "cls", "--manifest", synth.toString(), "--preset", "tiny", "--out", run.toString(),
                "--epochs", "1", "--batch", "8", "--vocab", vocab.toString(), "--text", "meta-labels", "--folds", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("train cls: folds=2 total="), r.out());
        assertTrue(r.lastLine().startsWith("auc total="), r.lastLine());
        Set<String> tested = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            Path f = run.resolve("fold-" + i);
            for (String file : List.of("last.safetensors", "metrics.jsonl", "scores.csv", "auc.csv", "eval.json"))
                assertTrue(Files.isRegularFile(f.resolve(file)), f.resolve(file) + " missing");
            tested.addAll(ScoreTable.read(f.resolve("scores.csv")).ids());
        }
        assertEquals(patientOf.keySet(), tested);
        assertEquals(5, Files.readAllLines(run.resolve("folds.csv")).size());

        r = CommandRun.of("train", "cls", "--manifest", synth.toString(), "--preset", "tiny", "--out", run.toString(),
                "--vocab", vocab.toString(), "--folds", "2", "--resume");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--resume cannot be combined with --folds"), r.err());
    }

    /** ft --folds: a head per fold scores the held-out fold; base / rare follow --rare-threshold on the train folds. */
    @Test
    void fineTuningFoldsScoreEachHeldOutFoldWithItsHead() throws IOException {
        Path run = dir.resolve("ft-folds");
        CommandRun r = CommandRun.of("train", "ft", "--manifest", synth.toString(), "--preset", "tiny", "--out", run.toString(),
                "--epochs", "1", "--batch", "8", "--rare-threshold", "3", "--folds", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("train ft: folds=2 total="), r.out());
        Set<String> tested = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            Path f = run.resolve("fold-" + i);
            for (String file : List.of("last.safetensors", "head.safetensors", "scores.csv", "auc.csv", "eval.json"))
                assertTrue(Files.isRegularFile(f.resolve(file)), f.resolve(file) + " missing");
            String json = Files.readString(f.resolve("eval.json"));
            assertTrue(json.contains("\"rare_threshold\":3") && json.contains("linear head"), json);
            tested.addAll(ScoreTable.read(f.resolve("scores.csv")).ids());
        }
        assertEquals(patientOf.keySet(), tested);
    }

    /** --held-out scores exactly the patients a `train` run with the same seed held out of a split-less manifest. */
    @Test
    void heldOutScoresThePatientsTrainingHeldOut() throws IOException {
        Path out = dir.resolve("zs-held-out");
        zeroShot(synth, out, "--held-out", "--split-seed", "3");
        ScoreTable t = ScoreTable.read(out.resolve("scores.csv"));
        var split = org.cxrclip.train.data.RunSplits.of(org.cxrclip.train.data.ManifestDataset.load(synth,
                org.cxrclip.train.data.LoadOptions.defaults()), 3);
        Set<String> expected = new HashSet<>();
        for (var s : split.test().samples()) expected.add(synth.getParent().relativize(s.image()).toString());
        assertTrue(!expected.isEmpty() && expected.size() < Csv.read(synth).rows().size(), "a proper held-out part: " + expected.size());
        assertEquals(expected, new HashSet<>(t.ids()));
        CommandRun bad = CommandRun.of("eval", "zero-shot", "--preset", "tiny", "--manifest", withSplit.toString(), "--prompts",
                "present", "--vocab", vocab.toString(), "--held-out", "--out", dir.resolve("zs-held-out-bad").toString());
        assertTrue(bad.code() != 0, "--held-out on a manifest with splits must fail");
        assertTrue(bad.err().contains("--held-out"), bad.err());
    }
}
