package org.cxrclip.apps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cxrclip.clip.embed.ClipEncoder;
import org.cxrclip.train.metrics.AucSummary;
import org.cxrclip.train.viz.LossCurves;
import org.cxrclip.train.viz.ScatterPlot;
import org.cxrclip.train.viz.Tsne;
import org.cxrclip.train.report.AtomicFiles;

/**
 * The demo's outputs: {@code loss.png} (training curves), {@code tsne.png} (test image embeddings of every
 * method side by side, coloured by label combination), {@code metrics.json} ({@code methods.<name>.auc.total|base|rare}
 * with {@code *_ci} intervals, per-class AUC, wall times, the mixture diagnostic, the config) and
 * {@code report.md}, which states plainly whether CXR-CML beat CLS on this run. Files are written atomically.
 */
final class DemoReport {
    private final DemoSettings s;
    private final Path out;
    private final DemoPipeline.Data data;
    private final DemoPipeline.Ari initAri;
    private final List<DemoPipeline.MethodResult> results;
    private final double initSeconds;

    DemoReport(DemoSettings s, Path out, DemoPipeline.Data data, DemoPipeline.Ari initAri, double initSeconds,
               List<DemoPipeline.MethodResult> results) {
        this.initSeconds = initSeconds;
        this.s = s;
        this.out = out;
        this.data = data;
        this.initAri = initAri;
        this.results = results;
    }

    /** Writes the plots, metrics.json and report.md; returns report.md. */
    Path write(double pipelineSeconds, long reportStart) throws IOException {
        lossPlot();
        long t0 = System.nanoTime();
        tsnePlot();
        double tsne = DemoPipeline.seconds(t0);
        double total = DemoPipeline.seconds(reportStart) + pipelineSeconds;
        Map<String, Object> metrics = metrics(tsne, total);
        AtomicFiles.writeString(out.resolve("metrics.json"), Json.pretty(metrics) + "\n");
        Path report = out.resolve("report.md");
        AtomicFiles.writeString(report, markdown(tsne, total));
        return report;
    }

    private void lossPlot() throws IOException {
        List<LossCurves.Curve> curves = new ArrayList<>();
        for (var r : results) {
            curves.add(smoothed(r.method().name() + (r.method().isCls() ? " (InfoNCE)" : " (total)"), r.steps(), 1));
            if (!r.method().isCls()) {
                curves.add(smoothed("cml: InfoNCE part", r.steps(), 2));
                curves.add(smoothed("cml: triplet part", r.steps(), 3));
            }
        }
        LossCurves.write(out.resolve("loss.png"), "Training loss (moving average over 10 steps)", "step", "loss", curves, 900, 500);
    }

    private static LossCurves.Curve smoothed(String name, List<double[]> steps, int column) {
        int n = steps.size(), w = 10;
        double[] x = new double[n], y = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += steps.get(i)[column];
            if (i >= w) sum -= steps.get(i - w)[column];
            x[i] = steps.get(i)[0];
            y[i] = sum / Math.min(i + 1, w);
        }
        return new LossCurves.Curve(name, x, y);
    }

    /** Colour classes: the 9 most frequent label combinations of the drawn test images, the rest "other". */
    private void tsnePlot() throws IOException {
        int[] rows = DemoPipeline.subsample(data.test().size(), s.tsnePoints(), s.seed());
        List<String> combos = new ArrayList<>();
        Map<String, Integer> freq = new HashMap<>();
        for (int i : rows) {
            String c = combination(data.test().get(i).labels());
            combos.add(c);
            freq.merge(c, 1, Integer::sum);
        }
        List<String> top = freq.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(9).map(Map.Entry::getKey).toList();
        List<String> classes = combos.stream().map(c -> top.contains(c) ? c : "other").toList();
        List<ScatterPlot.Panel> panels = new ArrayList<>();
        for (var r : results) {
            int d = r.dim();
            float[] x = new float[rows.length * d];
            for (int i = 0; i < rows.length; i++) System.arraycopy(r.testEmbeddings(), rows[i] * d, x, i * d, d);
            ClipEncoder.normalizeRows(x, d);
            double[] y = new Tsne(30, s.tsneIterations(), s.seed()).embed(x, rows.length, d);
            panels.add(new ScatterPlot.Panel(r.method().name(), y, classes));
        }
        ScatterPlot.write(out.resolve("tsne.png"), panels, 600);
    }

    private String combination(float[] y) {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < y.length; j++) if (y[j] == 1f) names.add(data.all().labelNames().get(j));
        return names.isEmpty() ? "none" : String.join(" + ", names);
    }

    private Map<String, Object> metrics(double tsneSeconds, double totalSeconds) {
        Map<String, Object> methods = new LinkedHashMap<>();
        for (var r : results) {
            Map<String, Object> auc = new LinkedHashMap<>();
            group(auc, "total", r.auc().total());
            group(auc, "base", r.auc().base());
            group(auc, "rare", r.auc().rare());
            Map<String, Object> perClass = new LinkedHashMap<>();
            for (int j = 0; j < r.auc().labels().size(); j++) perClass.put(r.auc().labels().get(j), r.auc().perClass()[j]);
            Map<String, Object> raw = new LinkedHashMap<>();
            group(raw, "total", r.rawCosineAuc().total());
            group(raw, "base", r.rawCosineAuc().base());
            group(raw, "rare", r.rawCosineAuc().rare());
            methods.put(r.method().name(), DemoPipeline.map("title", r.method().title(), "auc", auc, "auc_raw_cosine", raw,
                    "per_class_auc", perClass,
                    "train_seconds", r.trainSeconds(), "eval_seconds", r.evalSeconds(), "last_epoch_mean_loss", r.lastEpochLoss(),
                    "steps", r.steps().size(), "ari", ariMap(r.ari())));
        }
        Map<String, Object> classes = new LinkedHashMap<>();
        for (int j = 0; j < data.all().labelNames().size(); j++)
            classes.put(data.all().labelNames().get(j), DemoPipeline.map("group", data.rare().contains(data.all().labelNames().get(j)) ? "rare" : "base",
                    "train_positives", data.trainPositives()[j], "test_positives", data.testPositives()[j]));
        return DemoPipeline.map("config", s.toMap(),
                "data", DemoPipeline.map("images", data.all().size(), "patients", data.all().byPatient().size(), "train", data.train().size(),
                        "val", data.val().size(), "test", data.test().size(), "rare_definition", RARE_DEFINITION, "classes", classes),
                "methods", methods, "untrained_ari", ariMap(initAri), "verdict", verdict().plain(),
                "wall_seconds", DemoPipeline.map("synthesis", data.synthSeconds(), "initialisation", initSeconds, "tsne", tsneSeconds,
                        "total", totalSeconds));
    }

    private static final String RARE_DEFINITION = "CXR-CML's 12 rare classes (fewer than 1000 training images in CXR-LT),"
            + " as designated by CxrLtClasses; the synthetic set keeps their low prevalence (raised to --min-prevalence)";

    private static void group(Map<String, Object> m, String name, AucSummary.Group g) {
        m.put(name, g.auc());
        m.put(name + "_ci", List.of(g.lo(), g.hi()));
        m.put(name + "_classes", g.classes());
    }

    private static Map<String, Object> ariMap(DemoPipeline.Ari a) {
        return DemoPipeline.map("k", a.k(), "vs_label_set", a.labelSet(), "vs_first_label", a.firstLabel());
    }

    /** The comparison the report leads with: CXR-CML against the best CLS method on total AUC. */
    record Verdict(String markdown, String plain) {}

    Verdict verdict() {
        DemoPipeline.MethodResult cml = find("cml");
        List<DemoPipeline.MethodResult> cls = results.stream().filter(r -> r.method().isCls()).toList();
        if (cml == null || cls.isEmpty())
            return new Verdict("Only " + String.join(", ", results.stream().map(r -> r.method().name()).toList())
                    + " trained in this run, so there is no CLS-versus-CXR-CML comparison.", "no comparison (methods: "
                    + String.join(",", results.stream().map(r -> r.method().name()).toList()) + ")");
        DemoPipeline.MethodResult best = cls.get(0);
        for (var r : cls) if (r.auc().total().auc() > best.auc().total().auc()) best = r;
        AucSummary.Group c = cml.auc().total(), b = best.auc().total();
        boolean higher = c.auc() > b.auc();
        boolean separated = higher ? c.lo() > b.hi() : c.hi() < b.lo();
        boolean tied = Math.abs(c.auc() - b.auc()) < 0.005;
        String word = tied ? "tied with" : higher ? (separated ? "beat" : "scored higher than, but not clearly above,")
                : (separated ? "did not beat (it scored clearly below)" : "did not beat (it scored lower than, within the intervals of,)");
        String plain = String.format(Locale.ROOT, "CXR-CML %s the best CLS method (%s) on total macro AUC: %s vs %s", word,
                best.method().name(), ci(c), ci(b));
        return new Verdict("**On this run, CXR-CML " + word + " the best CLS method (" + best.method().name() + ")** on total macro AUC: "
                + ci(c) + " against " + ci(b) + (separated ? "; the 95% intervals do not overlap." : "; the 95% intervals overlap, so"
                + " this run does not separate them.") + " On the rare classes alone: " + ci(cml.auc().rare()) + " against "
                + ci(best.auc().rare()) + "; on the base classes: " + ci(cml.auc().base()) + " against " + ci(best.auc().base()) + ".",
                plain);
    }

    private DemoPipeline.MethodResult find(String name) {
        return results.stream().filter(r -> r.method().name().equals(name)).findFirst().orElse(null);
    }

    private String markdown(double tsneSeconds, double totalSeconds) {
        StringBuilder b = new StringBuilder();
        b.append("# cxrclip demo: CLS vs CXR-CML on a synthetic long-tailed chest X-ray benchmark\n\n");
        b.append(String.format(Locale.ROOT, "Profile **%s**: %d synthetic images (40 CXR-LT classes, %d patients), preset `%s` (%d px input), "
                        + "%d epochs per method, batch %d, peak lr %g, seed %d. Every method starts from the same initialisation "
                        + "(`init.safetensors`). Zero-shot score of a label: cos(image, \"<label> is present\") (CXR-CML's prompt) minus "
                        + "the image's mean cosine over the 40 label prompts, on the %d test images (patient-disjoint from the %d train "
                        + "images); AUC intervals are bootstrap 95%% (%d resamples).\n\n",
                s.profile(), data.all().size(), data.all().byPatient().size(), s.preset(),
                org.cxrclip.clip.model.ClipPresets.get(s.preset()).imageResolution(), s.epochs(), s.batch(), s.lr(), s.seed(),
                data.test().size(), data.train().size(), s.bootstrap()));
        b.append("## Result\n\n").append(verdict().markdown()).append("\n\n");
        b.append("| Method | Total AUC [95% CI] | Base AUC [95% CI] | Rare AUC [95% CI] | train s |\n|---|---|---|---|---|\n");
        for (var r : results)
            b.append(String.format(Locale.ROOT, "| %s (`%s`) | %s | %s | %s | %.0f |%n", r.method().title(), r.method().name(),
                    ci(r.auc().total()), ci(r.auc().base()), ci(r.auc().rare()), r.trainSeconds()));
        b.append(String.format(Locale.ROOT, "%nBase: %d classes with test positives; rare: %d (%s).%n%n", results.isEmpty() ? 0
                : results.get(0).auc().base().classes(), results.isEmpty() ? 0 : results.get(0).auc().rare().classes(), RARE_DEFINITION));
        b.append("The same models scored by the raw cosine (CXR-CML's protocol as written, no per-image centring; intervals from "
                + Math.min(200, s.bootstrap()) + " resamples):\n\n"
                + "| Method | Total AUC [95% CI] | Base AUC [95% CI] | Rare AUC [95% CI] |\n|---|---|---|---|\n");
        for (var r : results)
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", r.method().name(), ci(r.rawCosineAuc().total()),
                    ci(r.rawCosineAuc().base()), ci(r.rawCosineAuc().rare())));
        b.append("\nThe raw cosine also ranks images by how close their embedding lies to every prompt at once (an offset shared by "
                + "all labels of an image); subtracting each image's mean over the label prompts (CLIP's softmax over prompts in its "
                + "low-temperature limit) removes it, which is why the centred score is the headline.\n\n");
        b.append(diagnostics());
        b.append("## Training loss\n\n![training loss](loss.png)\n\n");
        b.append("CLS curves are InfoNCE; the CXR-CML curve is InfoNCE + λ·triplet, drawn with its two parts.\n\n");
        b.append("## Test image embeddings\n\n![t-SNE of test image embeddings](tsne.png)\n\n");
        b.append(String.format(Locale.ROOT, "t-SNE (perplexity 30, %d iterations, seed %d) of %d L2-normalised test image embeddings per "
                + "method, coloured by the 9 most frequent label combinations.%n%n", s.tsneIterations(), s.seed(),
                Math.min(s.tsnePoints(), data.test().size())));
        b.append(dataSection());
        b.append(perClassTable());
        b.append("## Wall times\n\n| Step | seconds |\n|---|---|\n");
        b.append(String.format(Locale.ROOT, "| synthesis (%d images) | %.1f |%n", data.all().size(), data.synthSeconds()));
        b.append(String.format(Locale.ROOT, "| initialisation and untrained-model ARI | %.1f |%n", initSeconds));
        for (var r : results)
            b.append(String.format(Locale.ROOT, "| %s: training | %.1f |%n| %s: test embedding, zero-shot, AUC, ARI | %.1f |%n",
                    r.method().name(), r.trainSeconds(), r.method().name(), r.evalSeconds()));
        b.append(String.format(Locale.ROOT, "| t-SNE maps | %.1f |%n| **total** | %.1f |%n%n", tsneSeconds, totalSeconds));
        b.append(String.format(Locale.ROOT, "Measured on this machine (%d cores visible to the JVM).%n%n",
                Runtime.getRuntime().availableProcessors()));
        b.append("## Config\n\n| Key | Value |\n|---|---|\n");
        s.toMap().forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        b.append("\nData: `data/manifest.csv` (with `data/classes.csv`); runs: `runs/<method>/` (metrics.jsonl, last.safetensors); "
                + "numbers: `metrics.json`.\n");
        return b.toString();
    }

    private String diagnostics() {
        StringBuilder b = new StringBuilder("## Why: do the mixture's clusters follow the labels?\n\n");
        b.append("CXR-CML's triplet loss pulls together images that share a mixture component and pushes apart the others, so it can "
                + "only help when the components agree with the classes. Below, a mixture of the same family, ν and K as CXR-CML is fitted "
                + "on each final model's L2-normalised test-image embeddings and compared with the ground truth by the adjusted Rand "
                + "index (ARI: 1 = the same partition, 0 = chance) — against each image's exact label combination and against its "
                + "first positive label.\n\n| Embeddings | K | ARI vs label set | ARI vs first label |\n|---|---|---|---|\n");
        b.append(String.format(Locale.ROOT, "| untrained initialisation | %d | %.3f | %.3f |%n", initAri.k(), initAri.labelSet(), initAri.firstLabel()));
        for (var r : results)
            b.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f |%n", r.method().name(), r.ari().k(), r.ari().labelSet(),
                    r.ari().firstLabel()));
        DemoPipeline.MethodResult cml = find("cml");
        b.append('\n');
        if (cml != null) {
            double a = cml.ari().labelSet();
            b.append(String.format(Locale.ROOT, "With ARI %.3f on CXR-CML's own embeddings, ", a));
            b.append(a < 0.1 ? "the clusters are close to unrelated to the label combinations, so most triplets are not label-aware "
                    + "(positives with different findings, negatives with the same ones): whatever the triplet term changes here, it is not "
                    + "the class-aware metric learning the paper describes. A plausible reason on a long tail: K components cannot give a "
                    + "rare class its own cluster when its few images are spread over components dominated by frequent findings."
                    : a < 0.3 ? "the clusters follow the labels only partly: a share of the triplets is right, the rest is noise."
                    : "the clusters follow the labels well, so the triplets mostly pull same-finding images together.");
            double clsBest = results.stream().filter(r -> r.method().isCls()).mapToDouble(r -> r.ari().labelSet()).max().orElse(Double.NaN);
            if (!Double.isNaN(clsBest) && a < clsBest)
                b.append(String.format(Locale.ROOT, " CXR-CML's embeddings follow the labels less than CLS's (%.3f): the triplet term pulls "
                        + "the space towards the mixture's own partition, and that partition is not the label partition.", clsBest));
            if (initAri.labelSet() < 0.05 && s.cmlWarmupEpochs() == 0)
                b.append(String.format(Locale.ROOT, " Note also that the first epoch's pseudo-labels come from the untrained model, whose "
                        + "clusters are unrelated to the labels (ARI %.3f): CXR-CML starts by pulling together images chosen at random with "
                        + "respect to their findings. The paper starts from a pretrained CLIP, where the clusters already carry meaning "
                        + "(`--cml-warmup-epochs E` trains the first E epochs with InfoNCE alone, so the first mixture is fitted on a partly "
                        + "trained model).", initAri.labelSet()));
            if (s.cmlWarmupEpochs() > 0)
                b.append(String.format(Locale.ROOT, " Here CXR-CML trained its first %d epoch(s) with InfoNCE alone (`--cml-warmup-epochs`), "
                        + "so its first mixture was fitted on a partly trained model rather than the untrained one (ARI %.3f).",
                        s.cmlWarmupEpochs(), initAri.labelSet()));
            b.append("\n\n");
        }
        return b.toString();
    }

    private String dataSection() {
        int rareMin = Integer.MAX_VALUE, rareMax = 0, rareTest = 0, rareImages = 0;
        List<String> names = data.all().labelNames();
        for (int j = 0; j < names.size(); j++)
            if (data.rare().contains(names.get(j))) {
                rareMin = Math.min(rareMin, data.trainPositives()[j]);
                rareMax = Math.max(rareMax, data.trainPositives()[j]);
                rareTest += data.testPositives()[j];
            }
        for (var smp : data.all().samples())
            for (int j = 0; j < names.size(); j++)
                if (smp.positive(j) && data.rare().contains(names.get(j))) {
                    rareImages++;
                    break;
                }
        return String.format(Locale.ROOT, "## Data%n%n%d synthetic images (`cxrclip data synth`, seed %d, %d px, %.1f s) of %d patients, split "
                        + "by patient (stratified) into train %d / val %d / test %d images (70 / 10 / 20 %% of patients; val is held out "
                        + "and not used by the demo). Every class is raised to at least %.3f prevalence (`--min-prevalence`) so that "
                        + "each rare class has test positives: the rare classes then have %d-%d train positives each and %d test "
                        + "positives together; %.1f %% of images carry a rare label (CXR-CML: 2 %%). Rare = %s.%n%n",
                data.all().size(), s.seed(), s.size(), data.synthSeconds(), data.all().byPatient().size(), data.train().size(),
                data.val().size(), data.test().size(), s.minPrevalence(), rareMin, rareMax, rareTest,
                100.0 * rareImages / data.all().size(), RARE_DEFINITION);
    }

    private String perClassTable() {
        StringBuilder b = new StringBuilder("## Per-class zero-shot AUC\n\n| Class | group | train + | test + |");
        for (var r : results) b.append(' ').append(r.method().name()).append(" |");
        b.append("\n|---|---|---|---|").append("---|".repeat(results.size())).append('\n');
        List<String> names = data.all().labelNames();
        for (int j = 0; j < names.size(); j++) {
            b.append("| ").append(names.get(j)).append(" | ").append(data.rare().contains(names.get(j)) ? "rare" : "base").append(" | ")
                    .append(data.trainPositives()[j]).append(" | ").append(data.testPositives()[j]).append(" |");
            for (var r : results) b.append(' ').append(f3(r.auc().perClass()[j])).append(" |");
            b.append('\n');
        }
        b.append("\nA class without test positives has no AUC (–) and is left out of the macro averages.\n\n");
        return b.toString();
    }

    static String ci(AucSummary.Group g) {
        return f3(g.auc()) + " [" + f3(g.lo()) + ", " + f3(g.hi()) + "]";
    }

    static String f3(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }


}
