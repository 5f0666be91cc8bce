package org.cxrclip.apps;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.cxrclip.clip.image.ImageReadException;
import org.cxrclip.train.data.Csv;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.ImagePreparer;
import org.cxrclip.train.data.ManifestWriter;
import org.cxrclip.train.data.PatientSplits;
import org.cxrclip.train.data.Sample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cxrclip data}: data-set chores before training: {@code prepare} (shrink every image once, resumable),
 * {@code stats} (per-label counts, base/rare groups) and {@code split} (patient-level, stratified train/val or
 * k-fold, saved in a new manifest). Every subcommand reads any supported source (see {@link DatasetOptions}).
 */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Prepare, inspect and split data sets.",
        subcommands = {SynthCommand.class, DataCommand.Prepare.class, DataCommand.Stats.class, DataCommand.Split.class})
final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "prepare", mixinStandardHelpOptions = true,
            description = "Shrink every image once (PNG, aspect kept) and write a manifest pointing at the copies; "
                    + "re-running resumes, reusing finished images.")
    static final class Prepare implements Callable<Integer> {
        @Mixin
        DatasetOptions source;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder for images and manifest.csv.")
        Path out;

        @Option(names = "--size", defaultValue = "256", description = "Target size in pixels (default ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--side", defaultValue = "shorter", paramLabel = "shorter|longer|width",
                description = "Which side gets --size (default ${DEFAULT-VALUE}; the thesis used width, CheXzero longer=320).")
        String side;

        @Option(names = "--threads", defaultValue = "0", description = "Worker threads (default: all cores).")
        int threads;

        @Override
        public Integer call() throws Exception {
            ImagePreparer.Side s = switch (side.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "shorter" -> ImagePreparer.Side.SHORTER;
                case "longer" -> ImagePreparer.Side.LONGER;
                case "width" -> ImagePreparer.Side.WIDTH;
                default -> throw new IllegalArgumentException("unknown --side '" + side + "' (known: shorter, longer, width)");
            };
            Dataset data = source.load(System.out);
            ImagePreparer preparer = new ImagePreparer(size, s);
            Path srcDir = source.sourceDir();
            Files.createDirectories(out);
            int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            ExecutorService pool = Executors.newFixedThreadPool(n);
            AtomicInteger written = new AtomicInteger(), reused = new AtomicInteger(), done = new AtomicInteger();
            var progress = Progress.counter("data prepare:", data.size());
            Map<Integer, Path> newImage = new HashMap<>();
            List<String> skipped = new ArrayList<>();
            long t0 = System.nanoTime();
            try {
                List<Future<String>> jobs = new ArrayList<>();
                for (Sample smp : data.samples()) {
                    Path dst = ImagePreparer.outputPath(out.resolve("images"), srcDir, smp.image());
                    jobs.add(pool.submit(() -> {
                        try {
                            (preparer.prepare(smp.image(), dst) ? written : reused).incrementAndGet();
                            return null;
                        } catch (ImageReadException | IOException e) {
                            return e.getMessage();
                        } finally {
                            progress.accept(done.incrementAndGet());
                        }
                    }));
                }
                for (int i = 0; i < jobs.size(); i++) {
                    String err = jobs.get(i).get();
                    Sample smp = data.get(i);
                    if (err == null) newImage.put(smp.row(), ImagePreparer.outputPath(out.resolve("images"), srcDir, smp.image()));
                    else skipped.add(err);
                }
            } finally {
                pool.shutdownNow();
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            Path csv = out.resolve("manifest.csv");
            if (source.manifest != null) {
                Csv.Table t = Csv.read(source.manifest);
                int image = t.column("image");
                ManifestWriter.rewrite(t, csv, t.header(), r -> {
                    Path p = newImage.get(r);
                    if (p == null) return null;
                    List<String> row = new ArrayList<>(t.rows().get(r));
                    row.set(image, ManifestWriter.imagePath(out.toAbsolutePath(), p));
                    return row;
                });
            } else {
                List<Sample> kept = new ArrayList<>();
                for (Sample smp : data.samples()) if (newImage.containsKey(smp.row())) kept.add(smp.withImage(newImage.get(smp.row())));
                ManifestWriter.write(data.withSamples(kept), csv);
            }
            Path skippedFile = out.resolve("skipped.txt");
            Files.write(skippedFile, skipped, StandardCharsets.UTF_8);
            for (String e : skipped) System.err.println("data prepare: skipped " + e);
            System.out.printf("data prepare: %d written, %d already done, %d skipped (listed in %s) in %.1f s (%.1f images/s)%n",
                    written.get(), reused.get(), skipped.size(), skippedFile, sec, data.size() / Math.max(sec, 1e-9));
            System.out.println("data prepare: wrote " + csv);
            return 0;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Per-label positive counts and the base/rare grouping (rare = fewer positives than the threshold).")
    static final class Stats implements Callable<Integer> {
        @Mixin
        DatasetOptions source;

        @Option(names = "--rare-threshold", defaultValue = "1000", description = "Rare below this many positives (default ${DEFAULT-VALUE}).")
        int threshold;

        @Override
        public Integer call() throws IOException {
            Dataset data = source.load(System.out);
            print(data, threshold, System.out);
            return 0;
        }

        static void print(Dataset data, int threshold, PrintStream out) {
            int[] pos = data.positives();
            List<String> base = new ArrayList<>(), rare = new ArrayList<>();
            out.printf("%-32s %9s %8s  %s%n", "label", "positives", "percent", "group");
            for (int k = 0; k < pos.length; k++) {
                String name = data.labelNames().get(k);
                boolean isRare = pos[k] < threshold;
                (isRare ? rare : base).add(name);
                out.printf("%-32s %9d %7.2f%%  %s%n", name, pos[k], 100.0 * pos[k] / Math.max(1, data.size()),
                        isRare ? "rare" : "base");
            }
            out.printf("base (%d, >= %d positives): %s%n", base.size(), threshold, String.join(", ", base));
            out.printf("rare (%d, < %d positives): %s%n", rare.size(), threshold, String.join(", ", rare));
        }
    }

    @Command(name = "split", mixinStandardHelpOptions = true,
            description = "Patient-level stratified split: train/val (--val) into the 'split' column, or k folds (--folds) "
                    + "into a 'fold' column; written to a new manifest (atomically).")
    static final class Split implements Callable<Integer> {
        @Mixin
        DatasetOptions source;

        @Option(names = "--out", required = true, paramLabel = "CSV", description = "New manifest (may replace the input).")
        Path out;

        @Option(names = "--val", defaultValue = "0.2", description = "Validation fraction of patients (default ${DEFAULT-VALUE}).")
        double val;

        @Option(names = "--folds", defaultValue = "0", description = "k for k-fold instead of train/val.")
        int folds;

        @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws IOException {
            Dataset data = source.load(System.out);
            Map<String, String> part = new HashMap<>();
            String column;
            if (folds > 0) {
                PatientSplits.kFold(data, folds, seed).forEach((p, k) -> part.put(p, Integer.toString(k)));
                column = "fold";
            } else {
                part.putAll(PatientSplits.trainVal(data, val, seed));
                column = "split";
            }
            Map<Integer, String> byRow = new HashMap<>();
            Map<String, int[]> perPart = new java.util.TreeMap<>();
            for (Sample s : data.samples()) {
                String v = part.get(Dataset.patientKey(s));
                byRow.put(s.row(), v);
                int[] c = perPart.computeIfAbsent(v, x -> new int[data.labelNames().size() + 1]);
                c[0]++;
                for (int k = 0; k < data.labelNames().size(); k++) if (s.positive(k)) c[k + 1]++;
            }
            if (source.manifest != null) ManifestWriter.withColumn(Csv.read(source.manifest), out, column, byRow);
            else if (folds > 0) throw new IllegalArgumentException("--folds is saved in a manifest's 'fold' column: use --manifest (data prepare writes one)");
            else ManifestWriter.write(data.withSplits(part), out);
            for (Map.Entry<String, int[]> e : perPart.entrySet()) {
                int[] c = e.getValue();
                int missing = 0;
                for (int k = 1; k < c.length; k++) if (c[k] == 0) missing++;
                System.out.printf("data split: %s %s: %d images, %d labels without positives%n", column, e.getKey(), c[0], missing);
            }
            System.out.println("data split: wrote " + out);
            return 0;
        }
    }
}
