package org.cxrclip.apps;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.clip.tokenizer.VocabularyLocator;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.LoadOptions;
import org.cxrclip.train.data.ManifestDataset;
import org.cxrclip.train.data.RunSplits;
import org.cxrclip.train.loss.LogitScale;
import org.cxrclip.train.loss.TripletLoss;
import org.cxrclip.train.metrics.AucSummary;
import org.cxrclip.train.optim.Freezing;
import org.cxrclip.train.trainer.ContrastiveTrainer;
import org.cxrclip.train.trainer.FineTuner;
import org.cxrclip.train.trainer.TrainConfig;
import org.cxrclip.train.trainer.TrainingLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxrclip train cls|cml|ft}: trains a CLIP on a manifest and writes metrics.jsonl, last.safetensors,
 * state.json, report.md with its plots and skipped.txt into the run folder. The splits are
 * {@link RunSplits}': the manifest's train / val / test rows, or a seeded patient split (80:20 train:held-out,
 * then 10 % of train's patients for validation) when it has none. Every epoch the validation split is scored
 * (CLS/CML: InfoNCE loss and zero-shot macro AUC with "present" prompts; FT: BCE and head AUC). {@code ft}
 * ends by scoring the test (or held-out) split with the head: auc.csv with bootstrap 95 % intervals, the plots,
 * and a last stdout line {@code auc total=X base=Y rare=Z}. {@code --seed} seeds the preset initialisation,
 * the splits and training.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train CLIP: cls (InfoNCE), cml (CXR-CML: InfoNCE + triplet loss on mixture pseudo-labels) "
                + "or ft (supervised fine-tuning: BCE on a linear head over the image embedding).")
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODE", description = "cls, cml or ft.")
    String mode;

    @Mixin
    ModelOptions model;

    @Option(names = "--manifest", required = true, paramLabel = "CSV", description = "Manifest with image, text (or labels) and optional split.")
    Path manifest;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder (metrics.jsonl, last.safetensors, state.json, report.md).")
    Path out;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-4", description = "Peak (one-cycle, warm-up cosine) or initial (plateau) learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--weight-decay", defaultValue = "0.2", description = "AdamW decoupled weight decay; gains, biases, logit scale excluded (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", defaultValue = "one-cycle", paramLabel = "NAME",
            description = "one-cycle (thesis), warmup-cosine (open_clip) or plateau (CXR-CML: ReduceLROnPlateau on the validation loss, factor 0.1, patience 2); default ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--grad-clip", defaultValue = "1.0", paramLabel = "NORM", description = "Clip the global gradient norm to this; 0 turns it off (default ${DEFAULT-VALUE}).")
    double gradClip;

    @Option(names = "--accumulate", defaultValue = "1", paramLabel = "N", description = "Micro-batches of --batch per optimiser step (default ${DEFAULT-VALUE}).")
    int accumulate;

    @Option(names = "--freeze", defaultValue = "none", paramLabel = "WHAT",
            description = "none, layernorm-only (only LayerNorm gains/biases train) or text (text tower frozen); default ${DEFAULT-VALUE}. ft always freezes the unused text tower.")
    String freeze;

    @Option(names = "--text", defaultValue = "report", paramLabel = "SOURCE",
            description = "cls/cml: report (the manifest's text) or meta-labels (sentences from the positive labels); default ${DEFAULT-VALUE}.")
    String text;

    @Option(names = "--k", defaultValue = "40", description = "cml: mixture components (capped at train images / 2; default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--mixture", defaultValue = "student-t", paramLabel = "FAMILY", description = "cml: student-t or gaussian (default ${DEFAULT-VALUE}).")
    String mixture;

    @Option(names = "--nu", defaultValue = "4", description = "cml: Student-t degrees of freedom (default ${DEFAULT-VALUE}).")
    double nu;

    @Option(names = "--lambda", defaultValue = "1", description = "cml: weight of the triplet loss (default ${DEFAULT-VALUE}).")
    float lambda;

    @Option(names = "--margin", defaultValue = "0.2", description = "cml: triplet margin on unit embeddings (default ${DEFAULT-VALUE}).")
    float margin;

    @Option(names = "--mining", defaultValue = "batch-all", paramLabel = "HOW", description = "cml: batch-all or batch-hard triplets (default ${DEFAULT-VALUE}).")
    String mining;

    @Option(names = "--refit-every", defaultValue = "0", paramLabel = "STEPS",
            description = "cml: also refit the mixture every STEPS optimiser steps; 0 = at each epoch start only (default).")
    long refitEvery;

    @Option(names = "--cml-warmup-epochs", defaultValue = "0", paramLabel = "E",
            description = "cml: train the first E epochs with InfoNCE alone, then fit the mixture and add the triplet term "
                    + "(default ${DEFAULT-VALUE}: from the start, as the paper, which starts from a pretrained CLIP).")
    int cmlWarmupEpochs;

    @Option(names = "--logit-scale-clamp", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Clamp the logit scale to [0, ln 100] after each step (open_clip; default). --no-logit-scale-clamp as CheXzero/thesis.")
    boolean logitScaleClamp;

    @Option(names = "--pos-weight", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "ft: weight positives by (1-p)/p of the train split (thesis; default). --no-pos-weight for plain BCE.")
    boolean posWeight;

    @Option(names = "--loader-threads", paramLabel = "N", description = "Image decoding threads (default: cores, at most 4).")
    Integer loaderThreads;

    @Option(names = "--rare-threshold", defaultValue = "1000",
            description = "Rare label: fewer positives than this in the train split (default ${DEFAULT-VALUE}, as CXR-CML).")
    int rareThreshold;

    @Option(names = "--no-augment", description = "Turn off image affine augmentation and report sentence subsampling.")
    boolean noAugment;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint and optimiser state "
            + "(give the same manifest and options).")
    boolean resume;

    @Option(names = "--vocab", paramLabel = "FILE", description = "CLIP BPE vocabulary (else $CXRCLIP_VOCAB or ~/.cache/cxrclip).")
    Path vocab;

    @Option(names = "--folds", paramLabel = "K", description = "Patient-level K-fold: train on K-1 folds into RUN/fold-i/, "
            + "evaluate zero-shot on the held-out one; mean ± sd per group into RUN/folds.csv.")
    Integer folds;

    @Override
    public Integer call() throws IOException {
        model.validate();
        TrainConfig config = config();
        TrainConfig.Mode m = config.mode();
        SimpleTokenizer tokenizer = m == TrainConfig.Mode.FT ? null : SimpleTokenizer.load(new VocabularyLocator().locate(vocab));
        if (folds != null) {
            return new FoldRunner(m.name().toLowerCase(Locale.ROOT), manifest, out, folds, model, resume, rareThreshold).train(tokenizer,
                    (fresh, labels) -> (m == TrainConfig.Mode.FT ? new FineTuner(fresh, labels, config)
                            : new ContrastiveTrainer(fresh, tokenizer, config)).withLog(System.out)
                            .withProgress(System.err, System.console() != null).withRareThreshold(rareThreshold),
                    train -> withReportText(train, config));
        }
        RunSplits splits = RunSplits.of(ManifestDataset.load(manifest, LoadOptions.defaults()), model.seed);
        Dataset train = withReportText(splits.train(), config);
        if (train.size() < 2) throw new IllegalArgumentException(manifest + ": the train split has " + train.size() + " images, need at least 2");
        if (m == TrainConfig.Mode.FT && train.labelNames().isEmpty())
            throw new IllegalArgumentException(manifest + ": ft needs label columns, the manifest has none");
        Clip clip = model.load();
        System.out.printf(Locale.ROOT, "train %s: %d images (val %d, test %d%s), model %s, %d epochs, batch %d, lr %g -> %s%n",
                m.name().toLowerCase(Locale.ROOT), train.size(), splits.val().size(), splits.test().size(),
                splits.heldOut() ? " held out by patient" : "", model.describe(), epochs, batch, lr, out);
        TrainingLoop trainer = m == TrainConfig.Mode.FT ? new FineTuner(clip, train.labelNames(), config)
                : new ContrastiveTrainer(clip, tokenizer, config);
        trainer.withLog(System.out).withProgress(System.err, System.console() != null).withRareThreshold(rareThreshold);
        if (resume) trainer.resumeFrom(out);
        var result = trainer.fit(train, splits.val(), out);
        System.out.printf(Locale.ROOT, "train: %d steps, last epoch mean loss %.4f, checkpoint %s%n", result.steps(),
                result.lastEpochMeanLoss(), result.checkpoint());
        if (m == TrainConfig.Mode.FT) scoreTest(trainer, splits);
        return 0;
    }

    /**
     * ft: the head's scores on the test (or held-out, else validation) split → the files of {@link EvalReport}
     * (scores.csv, auc.csv, eval.json, plots, so that {@code eval compare} reads ft runs too), report, last line.
     */
    private void scoreTest(TrainingLoop trainer, RunSplits splits) throws IOException {
        Dataset test = splits.test().size() > 0 ? splits.test() : splits.val();
        String what = splits.test().size() > 0 ? (splits.heldOut() ? "held-out patients" : "test split") : "validation split (no test rows)";
        if (test.size() == 0) {
            System.out.println("train ft: no test, held-out or validation images to score");
            return;
        }
        var ev = trainer.evaluate(test, epochs);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("command", "train ft, the linear head's logits on the " + what);
        meta.put("weights", out.resolve("last.safetensors").toAbsolutePath().toString());
        meta.put("head", out.resolve(FineTuner.HEAD).toAbsolutePath().toString());
        meta.put("initial", model.describe());
        meta.put("manifest", manifest.toAbsolutePath().toString());
        meta.put("transform", "clip");
        meta.put("uncertain", "negative");
        AucSummary summary = EvalReport.write(out, EvalReport.of(ev, test, splits.train(), manifest), rareThreshold, meta, model.seed);
        trainer.writeReport(out, ev.scored(), what + ", " + ev.scored().n() + " images", 1000);
        System.out.printf(Locale.ROOT, "train ft: scored %d %s images (%d skipped) with the head -> %s%n", ev.scored().n(), what,
                ev.skipped().size(), out.resolve("scores.csv"));
        System.out.println(summary.line());
    }

    /** The validated configuration from the options; a bad value is one IllegalArgumentException naming the option. */
    TrainConfig config() {
        TrainConfig.Mode m = switch (mode.toLowerCase(Locale.ROOT)) {
            case "cls" -> TrainConfig.Mode.CLS;
            case "cml" -> TrainConfig.Mode.CML;
            case "ft" -> TrainConfig.Mode.FT;
            default -> throw new IllegalArgumentException("MODE must be cls, cml or ft, got '" + mode + "'");
        };
        TrainConfig.TextSource source = switch (text.toLowerCase(Locale.ROOT)) {
            case "report" -> TrainConfig.TextSource.REPORT;
            case "meta-labels" -> TrainConfig.TextSource.META_LABELS;
            default -> throw new IllegalArgumentException("--text must be report or meta-labels, got '" + text + "'");
        };
        TrainConfig.Schedule sched = switch (schedule.toLowerCase(Locale.ROOT)) {
            case "one-cycle" -> TrainConfig.Schedule.ONE_CYCLE;
            case "warmup-cosine" -> TrainConfig.Schedule.WARMUP_COSINE;
            case "plateau" -> TrainConfig.Schedule.PLATEAU;
            default -> throw new IllegalArgumentException("--schedule must be one-cycle, warmup-cosine or plateau, got '" + schedule + "'");
        };
        Freezing.Mode frozen = switch (freeze.toLowerCase(Locale.ROOT)) {
            case "none" -> Freezing.Mode.FULL;
            case "layernorm-only" -> Freezing.Mode.LAYER_NORM_ONLY;
            case "text" -> Freezing.Mode.TEXT_FROZEN;
            default -> throw new IllegalArgumentException("--freeze must be none, layernorm-only or text, got '" + freeze + "'");
        };
        TrainConfig.Family family = switch (mixture.toLowerCase(Locale.ROOT)) {
            case "student-t" -> TrainConfig.Family.STUDENT_T;
            case "gaussian" -> TrainConfig.Family.GAUSSIAN;
            default -> throw new IllegalArgumentException("--mixture must be student-t or gaussian, got '" + mixture + "'");
        };
        TripletLoss.Mining mine = switch (mining.toLowerCase(Locale.ROOT)) {
            case "batch-all" -> TripletLoss.Mining.BATCH_ALL;
            case "batch-hard" -> TripletLoss.Mining.BATCH_HARD;
            default -> throw new IllegalArgumentException("--mining must be batch-all or batch-hard, got '" + mining + "'");
        };
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("--lr must be finite and > 0, got " + lr);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay))
            throw new IllegalArgumentException("--weight-decay must be finite and >= 0, got " + weightDecay);
        if (!(gradClip >= 0) || Double.isInfinite(gradClip))
            throw new IllegalArgumentException("--grad-clip must be finite and >= 0 (0 = off), got " + gradClip);
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (batch < (m == TrainConfig.Mode.FT ? 1 : 2))
            throw new IllegalArgumentException("--batch must be >= " + (m == TrainConfig.Mode.FT ? 1 : 2) + ", got " + batch);
        if (accumulate < 1) throw new IllegalArgumentException("--accumulate must be >= 1, got " + accumulate);
        if (k < 1) throw new IllegalArgumentException("--k must be >= 1, got " + k);
        if (!(nu > 0) || Double.isInfinite(nu)) throw new IllegalArgumentException("--nu must be finite and > 0, got " + nu);
        if (!(lambda >= 0) || Float.isInfinite(lambda)) throw new IllegalArgumentException("--lambda must be finite and >= 0, got " + lambda);
        if (!(margin >= 0) || Float.isInfinite(margin)) throw new IllegalArgumentException("--margin must be finite and >= 0, got " + margin);
        if (refitEvery < 0) throw new IllegalArgumentException("--refit-every must be >= 0 steps (0 = each epoch), got " + refitEvery);
        if (cmlWarmupEpochs < 0) throw new IllegalArgumentException("--cml-warmup-epochs must be >= 0, got " + cmlWarmupEpochs);
        if (loaderThreads != null && loaderThreads < 1) throw new IllegalArgumentException("--loader-threads must be >= 1, got " + loaderThreads);
        if (rareThreshold < 0) throw new IllegalArgumentException("--rare-threshold must be >= 0, got " + rareThreshold);
        TrainConfig c = TrainConfig.defaults(m).withEpochs(epochs).withBatch(batch).withLr(lr).withSeed(model.seed)
                .withTextSource(source).withAugment(!noAugment).withWeightDecay(weightDecay).withSchedule(sched)
                .withGradClipNorm(gradClip).withAccumulate(accumulate).withFreeze(frozen).withPosWeight(posWeight)
                .withLogitScale(logitScaleClamp ? LogitScale.Policy.DEFAULT : LogitScale.Policy.NONE)
                .withCml(new TrainConfig.Cml(k, family, nu, lambda, margin, mine, refitEvery, cmlWarmupEpochs));
        return loaderThreads == null ? c : c.withLoaderThreads(loaderThreads);
    }

    /**
     * Contrastive training on reports needs a report per image: train images without one are left out (and
     * counted) rather than failing the run midway; with meta-label text or for ft every image is used.
     */
    static Dataset withReportText(Dataset train, TrainConfig config) {
        if (config.mode() == TrainConfig.Mode.FT || config.textSource() != TrainConfig.TextSource.REPORT) return train;
        java.util.List<org.cxrclip.train.data.Sample> kept = train.samples().stream()
                .filter(x -> x.text() != null && !x.text().isBlank()).toList();
        int dropped = train.size() - kept.size();
        if (dropped == 0) return train;
        if (kept.isEmpty()) throw new IllegalArgumentException("no train image has report text; use --text meta-labels");
        System.out.printf(Locale.ROOT, "train: %d of %d train images have no report text and are left out (use --text meta-labels "
                + "to train on every image)%n", dropped, train.size());
        return train.withSamples(kept);
    }

    /** The train split a run uses (see {@link RunSplits}). */
    static Dataset trainSplit(Dataset all, long seed) {
        return RunSplits.of(all, seed).train();
    }
}
