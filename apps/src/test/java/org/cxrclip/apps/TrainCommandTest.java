package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cxrclip.clip.model.ClipCheckpoint;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.LoadOptions;
import org.cxrclip.train.data.ManifestDataset;
import org.cxrclip.train.synth.SynthDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.cxrclip.engine.testing.SharedData;

class TrainCommandTest {
    @Test
    void trainsTheTinyPresetOnSyntheticDataAndWritesALoadableCheckpoint(@TempDir Path tmp) throws IOException {
        Path vocab = SharedData.vocabulary();
        Path csv = SynthDataset.generate(tmp.resolve("synth"), new SynthDataset.Options(40, 2, 32, 0), d -> { });
        Path run = tmp.resolve("run");
        CommandRun r = CommandRun.of("train", "cml", "--manifest", csv.toString(), "--preset", "tiny", "--out", run.toString(),
                "--epochs", "1", "--batch", "8", "--vocab", vocab.toString(), "--text", "meta-labels");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.lastLine().startsWith("train: "), r.out());
        assertTrue(Files.isRegularFile(run.resolve("state.json")));
        ClipCheckpoint.load(run.resolve("last.safetensors"), Backends.defaultBackend());
        // No split column: trains on the train part of an 80:20 patient split, so fewer than 40 images.
        Dataset all = ManifestDataset.load(csv, LoadOptions.defaults().withLog(null));
        int trained = TrainCommand.trainSplit(all, 0).size();
        assertTrue(trained > 0 && trained < 40, "train part " + trained);
        assertTrue(r.out().contains("train cml: " + trained + " images"), r.out());

        CommandRun more = CommandRun.of("train", "cml", "--manifest", csv.toString(), "--preset", "tiny", "--out", run.toString(),
                "--epochs", "2", "--batch", "8", "--vocab", vocab.toString(), "--text", "meta-labels", "--resume");
        assertEquals(0, more.code(), more.err());
        assertTrue(more.out().contains("epoch 2/2") && !more.out().contains("epoch 1/2"), more.out());
        assertTrue(Files.readString(run.resolve("state.json")).contains("\"epoch\":2"));
    }

    @Test
    void anUnknownModeIsAOneLineError(@TempDir Path tmp) {
        CommandRun r = CommandRun.of("train", "simclr", "--manifest", tmp.resolve("m.csv").toString(), "--preset", "tiny",
                "--out", tmp.resolve("run").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("MODE must be cls, cml or ft, got 'simclr'"), r.err());
    }

    /**
     * ft end to end: trains the tiny preset's vision tower and a head, scores the held-out patients, ends with the
     * auc line, writes auc.csv, scores.csv (the held-out patients of the seeded split), head.safetensors,
     * report.md with plots; the checkpoint then serves the eval commands, which write their plots too, and
     * {@code eval compare} pairs the ft run with a zero-shot run on the same held-out images.
     */
    @Test
    void fineTunesScoresTheHeldOutPatientsAndTheCheckpointServesTheEvalCommands(@TempDir Path tmp) throws IOException {
        Path csv = SynthDataset.generate(tmp.resolve("synth"), new SynthDataset.Options(40, 4, 32, 0.05), d -> { });
        Path run = tmp.resolve("run");
        CommandRun r = CommandRun.of("train", "ft", "--manifest", csv.toString(), "--preset", "tiny", "--out", run.toString(),
                "--epochs", "2", "--batch", "8", "--schedule", "warmup-cosine", "--freeze", "layernorm-only", "--loader-threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.lastLine().matches("auc total=\\S+ base=\\S+ rare=\\S+"), r.out());
        assertTrue(r.out().contains("held out by patient"), r.out());
        assertTrue(Files.readString(run.resolve("auc.csv")).startsWith("label,group,auc,ci_low,ci_high\n"));
        assertTrue(Files.isRegularFile(run.resolve("head.safetensors")));
        var heldOut = org.cxrclip.train.data.RunSplits.of(org.cxrclip.train.data.ManifestDataset.load(csv,
                org.cxrclip.train.data.LoadOptions.defaults()), 0).test();
        java.util.Set<String> expected = new java.util.HashSet<>();
        for (var s : heldOut.samples()) expected.add(csv.getParent().relativize(s.image()).toString());
        var scores = org.cxrclip.train.metrics.ScoreTable.read(run.resolve("scores.csv"));
        assertEquals(expected, new java.util.HashSet<>(scores.ids()), "ft scores exactly the held-out patients");
        // auc.csv's macro total is the mean AUC of scores.csv's columns that have both classes.
        double sum = 0;
        int counted = 0;
        for (int j = 0; j < scores.labels().size(); j++) {
            int n = scores.size(), l = scores.labels().size();
            float[] sc = new float[n], tr = new float[n];
            for (int i = 0; i < n; i++) {
                sc[i] = scores.scores()[i * l + j];
                tr[i] = scores.truth()[i * l + j];
            }
            double auc = org.cxrclip.train.metrics.RocAuc.auc(sc, tr);
            if (!Double.isNaN(auc)) {
                sum += auc;
                counted++;
            }
        }
        String total = Files.readAllLines(run.resolve("auc.csv")).stream().filter(x -> x.startsWith("macro,total,")).findFirst()
                .orElseThrow().split(",")[2];
        assertEquals(sum / counted, Double.parseDouble(total), 1e-4);
        assertTrue(Files.readString(run.resolve("eval.json")).contains("\"command\":\"train ft"));
        String report = Files.readString(run.resolve("report.md"));
        assertTrue(report.contains("Per-class AUC (held-out patients"), report);
        for (String png : new String[] {"loss.png", "lr.png", "auc.png", "roc.png"})
            assertNotNull(javax.imageio.ImageIO.read(run.resolve(png).toFile()), png);

        Path probe = tmp.resolve("probe");
        CommandRun lp = CommandRun.of("eval", "linear-probe", "--weights", run.resolve("last.safetensors").toString(), "--manifest",
                csv.toString(), "--out", probe.toString());
        assertEquals(0, lp.code(), lp.err());
        assertNotNull(javax.imageio.ImageIO.read(probe.resolve("auc.png").toFile()));
        assertNotNull(javax.imageio.ImageIO.read(probe.resolve("roc.png").toFile()));

        Path vocab = SharedData.vocabulary();
        Path zs = tmp.resolve("zs");
        CommandRun z = CommandRun.of("eval", "zero-shot", "--weights", run.resolve("last.safetensors").toString(), "--manifest",
                csv.toString(), "--prompts", "present", "--vocab", vocab.toString(), "--held-out", "--out", zs.toString());
        assertEquals(0, z.code(), z.err());
        assertNotNull(javax.imageio.ImageIO.read(zs.resolve("auc.png").toFile()));
        assertNotNull(javax.imageio.ImageIO.read(zs.resolve("roc.png").toFile()));
        CommandRun cmp = CommandRun.of("eval", "compare", run.toString(), zs.toString(), "--out", tmp.resolve("cmp.csv").toString());
        assertEquals(0, cmp.code(), cmp.err());
        assertTrue(Files.readString(tmp.resolve("cmp.csv")).contains("total"), "compare writes the total group");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"--schedule|linear|--schedule must be one-cycle, warmup-cosine or plateau, got 'linear'",
            "--accumulate|0|--accumulate must be >= 1, got 0",
            "--freeze|all|--freeze must be none, layernorm-only or text, got 'all'",
            "--k|0|--k must be >= 1, got 0",
            "--mixture|dirichlet|--mixture must be student-t or gaussian, got 'dirichlet'",
            "--nu|0|--nu must be finite and > 0, got 0.0",
            "--lambda|-1|--lambda must be finite and >= 0, got -1.0",
            "--margin|-0.5|--margin must be finite and >= 0, got -0.5",
            "--mining|semi-hard|--mining must be batch-all or batch-hard, got 'semi-hard'",
            "--refit-every|-3|--refit-every must be >= 0 steps (0 = each epoch), got -3",
            "--grad-clip|-1|--grad-clip must be finite and >= 0 (0 = off), got -1.0",
            "--weight-decay|-0.1|--weight-decay must be finite and >= 0, got -0.1",
            "--loader-threads|0|--loader-threads must be >= 1, got 0"})
    void aBadOptionValueIsAOneLineErrorNamingIt(String option, String value, String message, @TempDir Path tmp) {
        CommandRun r = CommandRun.of("train", "cml", "--manifest", tmp.resolve("m.csv").toString(), "--preset", "tiny",
                "--out", tmp.resolve("run").toString(), option, value);
        assertEquals(1, r.code());
        assertEquals("train: " + message, r.err().strip());
    }

    @Test
    void everyTrainingOptionReachesTheConfig() {
        TrainCommand cmd = new TrainCommand();
        new picocli.CommandLine(cmd).parseArgs("cml", "--manifest", "m.csv", "--preset", "tiny", "--out", "run", "--weight-decay", "0.05",
                "--schedule", "plateau", "--grad-clip", "0", "--accumulate", "3", "--freeze", "text", "--k", "7", "--mixture", "gaussian",
                "--nu", "2.5", "--lambda", "0.5", "--margin", "0.3", "--mining", "batch-hard", "--refit-every", "5",
                "--cml-warmup-epochs", "2", "--no-logit-scale-clamp", "--no-pos-weight", "--loader-threads", "2", "--seed", "9");
        var c = cmd.config();
        assertEquals(org.cxrclip.train.trainer.TrainConfig.Mode.CML, c.mode());
        assertEquals(0.05, c.weightDecay());
        assertEquals(org.cxrclip.train.trainer.TrainConfig.Schedule.PLATEAU, c.schedule());
        assertEquals(0.0, c.gradClipNorm());
        assertEquals(3, c.accumulate());
        assertEquals(org.cxrclip.train.optim.Freezing.Mode.TEXT_FROZEN, c.freeze());
        assertEquals(new org.cxrclip.train.trainer.TrainConfig.Cml(7, org.cxrclip.train.trainer.TrainConfig.Family.GAUSSIAN, 2.5, 0.5f,
                0.3f, org.cxrclip.train.loss.TripletLoss.Mining.BATCH_HARD, 5, 2), c.cml());
        assertEquals(org.cxrclip.train.loss.LogitScale.Policy.NONE, c.logitScale());
        assertEquals(false, c.posWeight());
        assertEquals(2, c.loaderThreads());
        assertEquals(9, c.seed());

        TrainCommand defaults = new TrainCommand();
        new picocli.CommandLine(defaults).parseArgs("ft", "--manifest", "m.csv", "--preset", "tiny", "--out", "run");
        var d = defaults.config();
        assertEquals(org.cxrclip.train.loss.LogitScale.Policy.DEFAULT, d.logitScale());
        assertEquals(true, d.posWeight());
        assertEquals(org.cxrclip.train.trainer.TrainConfig.Schedule.ONE_CYCLE, d.schedule());
        assertEquals(org.cxrclip.train.trainer.TrainConfig.Cml.defaults(), d.cml());
    }

    /** Reports missing on some train rows: those rows are left out of CLS on reports, kept for meta-labels and ft. */
    @Test
    void trainImagesWithoutReportTextAreLeftOutOnlyWhenTrainingOnReports() {
        java.util.List<org.cxrclip.train.data.Sample> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++)
            rows.add(new org.cxrclip.train.data.Sample(i, java.nio.file.Path.of("i" + i + ".png"), "p" + i, null, null,
                    i % 2 == 0 ? "Report " + i + "." : (i == 1 ? " " : null), "train", new float[] {1}));
        var data = new org.cxrclip.train.data.Dataset(java.util.List.of("A"), rows, null);
        var cls = org.cxrclip.train.trainer.TrainConfig.defaults(org.cxrclip.train.trainer.TrainConfig.Mode.CLS);
        assertEquals(java.util.List.of(0, 2, 4), TrainCommand.withReportText(data, cls).samples().stream()
                .map(org.cxrclip.train.data.Sample::row).toList());
        assertEquals(5, TrainCommand.withReportText(data, cls.withTextSource(org.cxrclip.train.trainer.TrainConfig.TextSource.META_LABELS)).size());
        assertEquals(5, TrainCommand.withReportText(data, org.cxrclip.train.trainer.TrainConfig.defaults(
                org.cxrclip.train.trainer.TrainConfig.Mode.FT)).size());
    }
}
