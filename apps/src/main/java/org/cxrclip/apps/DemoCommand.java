package org.cxrclip.apps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.clip.tokenizer.VocabularyLocator;
import org.cxrclip.train.trainer.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxrclip demo}: the project in one command. Synthesises the long-tailed chest X-ray benchmark, splits
 * it by patient, trains CLS on reports, CLS on meta-label text and CXR-CML from one initialisation of a small
 * CLIP preset, and writes {@code DIR/report.md} (tables of zero-shot macro AUC total/base/rare with bootstrap
 * intervals, per-class AUC, loss curves, a t-SNE map, wall times, the config) and {@code DIR/metrics.json}.
 *
 * <p>DIR is refused when it holds anything but a previous demo's output (marked by {@value #MARKER}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the whole project on synthetic data: synthesise a long-tailed chest X-ray benchmark (40 CXR-LT classes),"
                + " split by patient, train CLS on reports, CLS on meta-label text and CXR-CML from one initialisation of a small"
                + " CLIP, and compare their zero-shot macro AUC (total / base / rare, bootstrap 95%% CIs) in DIR/report.md"
                + " and DIR/metrics.json.",
                "Default: 12000 images, 5 epochs (about 8 CPU-minutes of work); --quick: 5000 images, 4 epochs (about 3 CPU-minutes).",
                "Ablations (CXR-CML's Table 3): --nu 2|4|6|gaussian, --batch 16|32|64, --k K."})
final class DemoCommand implements Callable<Integer> {
    /** The file that marks a folder as demo output (so a re-run may replace it). */
    static final String MARKER = ".cxrclip-demo";

    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR",
            description = "Output folder (default ${DEFAULT-VALUE}); must be new, empty or a previous demo's output.")
    Path out;

    @Option(names = "--quick", description = "A smaller, faster run (5000 images, 4 epochs, every class at >= 1%% prevalence): the CI check.")
    boolean quick;

    @Option(names = "--n", paramLabel = "N", description = "Synthetic images (default 12000; --quick 5000).")
    Integer n;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Seed of the data, split, initialisation and training (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", paramLabel = "E", description = "Training epochs per method (default 5; --quick 4).")
    Integer epochs;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "B",
            description = "Batch size (default ${DEFAULT-VALUE}, CXR-CML's best; its ablation: 16, 32, 64).")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", description = "Peak learning rate, one-cycle (default 1e-3).")
    Double lr;

    @Option(names = "--k", defaultValue = "40", paramLabel = "K",
            description = "CXR-CML mixture components (default ${DEFAULT-VALUE}, one per class as the paper).")
    int k;

    @Option(names = "--nu", defaultValue = "4", paramLabel = "2|4|6|gaussian",
            description = "CXR-CML Student-t degrees of freedom, or gaussian (default ${DEFAULT-VALUE}, the paper's best).")
    String nu;

    @Option(names = "--lambda", defaultValue = "1", paramLabel = "L", description = "Weight of CXR-CML's triplet loss (default ${DEFAULT-VALUE}).")
    float lambda;

    @Option(names = "--cml-warmup-epochs", defaultValue = "0", paramLabel = "E",
            description = "CXR-CML's first E epochs are plain InfoNCE; the mixture and triplet term start after "
                    + "(default ${DEFAULT-VALUE}, the paper's: from the first epoch).")
    int cmlWarmupEpochs;

    @Option(names = "--preset", paramLabel = "small|tiny", description = "CLIP preset, tiny (32 px input, default) or small (64 px input, about 6x slower per image).")
    String preset;

    @Option(names = "--methods", defaultValue = "cls-reports,cls-meta,cml", split = ",", paramLabel = "M,...",
            description = "Methods to train (default ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--size", paramLabel = "PX", description = "Synthetic image side in pixels (default: twice the preset's input).")
    Integer size;

    @Option(names = "--min-prevalence", paramLabel = "P",
            description = "Raise every class to at least this prevalence so rare classes have test positives (default 0.004; --quick 0.01).")
    Double minPrevalence;

    @Option(names = "--augment", description = "Random affine image augmentation and report sentence subsampling while training "
            + "(off by default: short runs underfit rather than overfit).")
    boolean augment;

    @Option(names = "--vocab", paramLabel = "FILE", description = "CLIP BPE vocabulary (else $CXRCLIP_VOCAB or ~/.cache/cxrclip).")
    Path vocab;

    @Override
    public Integer call() throws IOException {
        DemoSettings s = settings();
        checkOutputFolder(out);
        SimpleTokenizer tokenizer = SimpleTokenizer.load(new VocabularyLocator().locate(vocab));
        clearPrevious(out);
        Files.createDirectories(out);
        Files.writeString(out.resolve(MARKER), "cxrclip demo output; a re-run replaces this folder's contents\n");
        long t0 = System.nanoTime();
        System.out.printf(Locale.ROOT, "demo (%s): %d images, preset %s, %d epochs, batch %d, methods %s -> %s%n", s.profile(), s.n(),
                s.preset(), s.epochs(), s.batch(), String.join(",", s.methods().stream().map(DemoMethod::name).toList()), out);
        var pipeline = new DemoPipeline(s, out, tokenizer, System.out);
        DemoPipeline.Data data = pipeline.synthesise();
        long ti = System.nanoTime();
        Path init = pipeline.initialise();
        DemoPipeline.Ari initAri = pipeline.initialAri(init, data);
        double initSeconds = DemoPipeline.seconds(ti);
        List<DemoPipeline.MethodResult> results = new ArrayList<>();
        for (DemoMethod m : s.methods()) results.add(pipeline.run(m, init, data));
        long t1 = System.nanoTime();
        Path report = new DemoReport(s, out, data, initAri, initSeconds, results).write(DemoPipeline.seconds(t0), t1);
        System.out.printf(Locale.ROOT, "demo: done in %.0f s; report: %s%n", DemoPipeline.seconds(t0), report.toAbsolutePath());
        return 0;
    }

    /** The --quick or default profile with the flags applied. */
    DemoSettings settings() {
        TrainConfig.Family family;
        double v;
        switch (nu.trim().toLowerCase(Locale.ROOT)) {
            case "gaussian" -> {
                family = TrainConfig.Family.GAUSSIAN;
                v = 4;
            }
            case "2", "4", "6" -> {
                family = TrainConfig.Family.STUDENT_T;
                v = Double.parseDouble(nu.trim());
            }
            default -> throw new IllegalArgumentException("--nu must be 2, 4, 6 or gaussian, got '" + nu + "'");
        }
        String p = preset != null ? preset : "tiny";
        if (!p.equalsIgnoreCase("small") && !p.equalsIgnoreCase("tiny"))
            throw new IllegalArgumentException("--preset must be small or tiny, got '" + p + "'");
        p = p.toLowerCase(Locale.ROOT);
        int resolution = org.cxrclip.clip.model.ClipPresets.get(p).imageResolution();
        return new DemoSettings(quick ? "quick" : "default", n != null ? n : quick ? 5000 : 12000, seed, size != null ? size : 2 * resolution,
                minPrevalence != null ? minPrevalence : quick ? 0.01 : 0.004, p, epochs != null ? epochs : quick ? 4 : 5, batch, lr != null ? lr : 1e-3, k, family, v,
                lambda, cmlWarmupEpochs, augment, DemoMethod.parse(methods), quick ? 400 : 1000, quick ? 500 : 750, 1000);
    }

    /** What a demo writes; a re-run deletes these (and only these) first, so no stale run is mixed in. */
    static final List<String> OUTPUTS = List.of("data", "runs", "init.safetensors", "report.md", "metrics.json", "loss.png", "tsne.png");

    static void clearPrevious(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(MARKER))) return;
        for (String name : OUTPUTS) {
            Path p = dir.resolve(name);
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
            if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(p);
                continue;
            }
            try (Stream<Path> walk = Files.walk(p)) { // links are not followed: only the demo's own files go
                for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
            }
        }
    }

    /** A folder is usable when missing, empty, or a previous demo's output; anything else is the user's data. */
    static void checkOutputFolder(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": exists and is not a folder");
        if (Files.isRegularFile(dir.resolve(MARKER))) return;
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent())
                throw new IOException(dir + ": folder is not empty and is not a previous demo output (no " + MARKER
                        + "); give a new --out DIR");
        }
    }
}
