package org.cxrclip.train.trainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cxrclip.clip.image.ClipTransform;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.engine.Tensor;
import org.cxrclip.train.data.BatchLoader;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.ImagePipeline;
import org.cxrclip.train.data.RandomAffine;
import org.cxrclip.train.metrics.AucSummary;
import org.cxrclip.train.metrics.ScoredLabels;
import org.cxrclip.train.optim.AdamW;
import org.cxrclip.train.optim.GradAccumulation;
import org.cxrclip.train.optim.GradClip;
import org.cxrclip.train.optim.LrSchedule;
import org.cxrclip.train.optim.OneCycle;
import org.cxrclip.train.optim.ReduceLrOnPlateau;
import org.cxrclip.train.optim.WarmupCosine;
import org.cxrclip.train.optim.WeightDecayRule;
import org.cxrclip.train.report.RunReport;
import org.cxrclip.train.report.SkippedImages;

/**
 * The epoch loop every trainer shares (CLS, CML, fine-tuning); a subclass supplies only the loss of a batch
 * ({@link #forward}), the scoring of a held-out split ({@link #evaluate}) and its extra state.
 *
 * <p>An epoch: {@link #beginEpoch} (CML refits its mixture) → micro-batches from the {@link BatchLoader}, each
 * forward → stop with {@link TrainingDivergedException} if the loss is not finite (before any update) →
 * backward of loss/accumulate; every {@code accumulate} micro-batches (and once more for a partial group at the
 * epoch end) one optimiser step: lr (and β1) from the schedule → optional global gradient-norm clip → AdamW →
 * clear gradients → {@link #afterStep} (the logit-scale clamp, CML's mid-epoch refits). At the epoch end: the
 * validation split is scored (loss and macro AUC), ReduceLROnPlateau is stepped with the validation loss,
 * the checkpoint is written atomically, metrics.jsonl gets the epoch record, report.md and skipped.txt are
 * rewritten. The schedules span epochs × optimiser steps per epoch; a micro-batch shortened by unreadable
 * images (or emptied) still counts, so the schedule never drifts.
 */
public abstract class TrainingLoop {
    /** The end of a run: optimiser steps taken, epochs done, the last epoch's mean loss, the checkpoint written. */
    public record TrainResult(long steps, int epochs, double lastEpochMeanLoss, Path checkpoint) {}

    /** One micro-batch's loss on the autograd graph and extra fields for its step line (e.g. CML's loss parts). */
    protected record Forward(Tensor loss, Map<String, Object> fields) {}

    /**
     * A held-out split scored by the current model: its mean loss, one score per image and label, and for each
     * scored row the index of its sample in the evaluated data set (unreadable images are skipped, not scored).
     */
    public record Evaluation(double loss, ScoredLabels scored, int[] rows, List<BatchLoader.Skipped> skipped) {
        public Evaluation {
            if (rows.length != scored.n())
                throw new IllegalArgumentException("evaluation: " + rows.length + " row indices for " + scored.n() + " scored images");
        }

        /** Macro AUC over the labels that have both classes (NaN if none). */
        public double macroAuc() {
            return scored.labels().isEmpty() || scored.n() == 0 ? Double.NaN
                    : AucSummary.of(scored.labels(), scored.scores(), scored.truth(), scored.n(), Set.of(), 0, 0).total().auc();
        }
    }

    protected final Clip model;
    protected final TrainConfig config;
    private final Map<String, Tensor> parameters;
    private final AdamW optimizer;
    private final GradAccumulation accumulation;
    private final SkippedImages skipped = new SkippedImages();
    private LrSchedule schedule;
    private ReduceLrOnPlateau plateau;
    private long step;
    private int startEpoch;
    private PrintStream log;
    private TrainProgress progress;
    private int rareThreshold = 1000;
    private Set<String> rare = Set.of();

    /** @param parameters what the optimiser updates, under their checkpoint names (frozen ones simply get no gradient) */
    protected TrainingLoop(Clip model, Map<String, Tensor> parameters, TrainConfig config) {
        this.model = model;
        this.config = config;
        // Insertion order kept (Map.copyOf's order changes per JVM): the gradient-norm sum must be reproducible.
        this.parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        var adam = new AdamW.Config(config.lr(), 0.9, 0.98, 1e-6, config.weightDecay());
        this.optimizer = new AdamW(new LinkedHashMap<>(parameters), adam, WeightDecayRule.EXCLUDE_GAINS_BIASES);
        this.accumulation = new GradAccumulation(config.accumulate());
        this.schedule = LrSchedule.constant(config.lr());
    }

    // ---- what a trainer supplies ----

    /** Called once per {@link #fit} before the first epoch (e.g. class weights from the train split). */
    protected void prepare(Dataset train) {}

    /** Called at the start of each epoch (CML: refit the mixture). */
    protected void beginEpoch(Dataset train, int epoch) {}

    /** The loss of one micro-batch, or null when the batch cannot give one (e.g. fewer than 2 pairs for InfoNCE). */
    protected abstract Forward forward(BatchLoader.Batch batch, Dataset train, int epoch);

    /** Called after each optimiser step (step count already advanced); returns extra fields for the step line. */
    protected Map<String, Object> afterStep(Dataset train, int epoch) {
        return Map.of();
    }

    /** Extra fields for the epoch line. */
    protected Map<String, Object> epochFields() {
        return Map.of();
    }

    /** Scores {@code data} (no augmentation, no gradient): mean loss and per-label scores. */
    public abstract Evaluation evaluate(Dataset data, int epoch);

    /** Writes the trainer's own files into the run folder before the checkpoint (kept consistent by step). */
    protected void saveExtra(Path runDir, long step) throws IOException {}

    /** Reads them back on resume. */
    protected void loadExtra(Path runDir, long step) throws IOException {}

    // ---- configuration ----

    /** Epoch summaries go here; null for silence. */
    public TrainingLoop withLog(PrintStream out) {
        this.log = out;
        return this;
    }

    /** A progress line (loss, lr, img/s, ETA) on {@code out}: redrawn in place when {@code inPlace}, else every 30 s. */
    public TrainingLoop withProgress(PrintStream out, boolean inPlace) {
        this.progress = out == null ? null : new TrainProgress(out, inPlace);
        return this;
    }

    /** Labels with fewer train positives than this are "rare" in reports (default 1000, as CXR-CML). */
    public TrainingLoop withRareThreshold(int threshold) {
        if (threshold < 0) throw new IllegalArgumentException("rare threshold must be >= 0, got " + threshold);
        this.rareThreshold = threshold;
        return this;
    }

    public Clip model() {
        return model;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    public long stepCount() {
        return step;
    }

    /** The rare labels of the last {@link #fit}'s train split. */
    public Set<String> rareLabels() {
        return rare;
    }

    /** Uses {@code s} for the following steps (fit sets the configured schedule over its own step count). */
    public void setSchedule(LrSchedule s) {
        this.schedule = s;
    }

    /** The plateau schedule's state (null unless --schedule plateau and fit or resume has started). */
    public ReduceLrOnPlateau plateau() {
        return plateau;
    }

    // ---- the loop ----

    /**
     * Continues the run in {@code runDir}: loads last.safetensors into the model, optimizer.safetensors into
     * AdamW and the trainer's extra files, and makes {@link #fit} start at the epoch after the checkpoint's
     * (appending to metrics.jsonl). The data, config and seed must be the run's own for the continuation to
     * equal an uninterrupted run.
     */
    public TrainingLoop resumeFrom(Path runDir) throws IOException {
        RunDirectory.Restored r = RunDirectory.restore(runDir, model, optimizer);
        loadExtra(runDir, r.step());
        if (config.schedule() == TrainConfig.Schedule.PLATEAU)
            plateau = PlateauState.restore(runDir.resolve(RunDirectory.CHECKPOINT), r.metadata(), config.lr());
        this.step = r.step();
        this.startEpoch = r.epochsDone();
        return this;
    }

    /** Trains for the configured epochs on {@code train} without validation. */
    public TrainResult fit(Dataset train, Path runDir) throws IOException {
        return fit(train, null, runDir, config.epochs());
    }

    /** As {@link #fit(Dataset, Dataset, Path, int)} without validation. */
    public TrainResult fit(Dataset train, Path runDir, int stopAfter) throws IOException {
        return fit(train, null, runDir, stopAfter);
    }

    /** Trains for the configured epochs, scoring {@code val} (may be null or empty) after each. */
    public TrainResult fit(Dataset train, Dataset val, Path runDir) throws IOException {
        return fit(train, val, runDir, config.epochs());
    }

    /**
     * Trains on {@code train}, writing metrics, checkpoint, state and report to {@code runDir}, and stops after
     * epoch {@code stopAfter} (1-based count of epochs done) with the schedule still spanning all configured
     * epochs: a run cut short on purpose, resumable later.
     */
    public TrainResult fit(Dataset train, Dataset val, Path runDir, int stopAfter) throws IOException {
        if (train.size() < 2) throw new IllegalArgumentException("training needs at least 2 samples, the train split has " + train.size());
        boolean validate = val != null && val.size() > 0;
        if (config.schedule() == TrainConfig.Schedule.PLATEAU && !validate)
            throw new IllegalArgumentException("the plateau schedule monitors the validation loss, but the validation split is empty");
        prepare(train);
        rare = rareLabels(train, rareThreshold);
        int r = model.config().imageResolution();
        long micro = (train.size() + config.batch() - 1) / config.batch();
        long perEpoch = (micro + config.accumulate() - 1) / config.accumulate();
        long total = perEpoch * config.epochs();
        schedule = switch (config.schedule()) {
            case ONE_CYCLE -> OneCycle.thesis(config.lr(), total);
            case WARMUP_COSINE -> new WarmupCosine(config.lr(), Math.max(1, total / 20), total, 0);
            case PLATEAU -> {
                if (plateau == null) plateau = ReduceLrOnPlateau.cxrCml(config.lr());
                ReduceLrOnPlateau p = plateau;
                yield s -> p.lr();
            }
        };
        var pipeline = new ImagePipeline(new ClipTransform(r), config.augment() ? RandomAffine.paper() : null, config.seed());
        double meanLoss = Double.NaN;
        Path ckpt = startEpoch > 0 ? runDir.resolve(RunDirectory.CHECKPOINT) : null; // a resumed, finished run
        int end = Math.min(stopAfter, config.epochs());
        if (startEpoch > 0) skipped.readFrom(runDir); // a resumed run keeps what its first part skipped
        try (var run = new RunDirectory(runDir, startEpoch > 0)) {
            for (int epoch = startEpoch; epoch < end; epoch++) {
                beginEpoch(train, epoch);
                double sum = 0, groupSum = 0;
                int losses = 0, groupLosses = 0, steps = 0, images = 0, epochSkipped;
                Map<String, Object> groupFields = Map.of();
                if (progress != null) progress.startEpoch(epoch, config.epochs(), perEpoch, total - step);
                try (var loader = new BatchLoader(train, pipeline, config.batch(), epoch, true, config.seed(), config.loaderThreads(), 2)) {
                    while (loader.hasNext()) {
                        BatchLoader.Batch b = loader.next();
                        noteSkipped(b.skipped());
                        Forward f = b.size() == 0 ? null : forward(b, train, epoch);
                        if (f != null) {
                            float v = backward(f, epoch, true);
                            sum += v;
                            groupSum += v;
                            losses++;
                            groupLosses++;
                            images += b.size();
                            groupFields = f.fields();
                        }
                        boolean last = !loader.hasNext();
                        if (accumulation.microStepDone() || last) {
                            accumulation.reset();
                            Map<String, Object> line = optimiserStep(train, epoch, groupLosses > 0);
                            line.put("loss", groupLosses > 0 ? (float) (groupSum / groupLosses) : Float.NaN);
                            line.putAll(groupFields);
                            run.log(line);
                            steps++;
                            if (progress != null) progress.step(steps, (double) line.get("lr"), groupSum / Math.max(1, groupLosses), images);
                            groupSum = 0;
                            groupLosses = 0;
                            groupFields = Map.of();
                        }
                    }
                    epochSkipped = loader.skipped().size();
                }
                if (progress != null) progress.endEpoch();
                meanLoss = losses == 0 ? Double.NaN : sum / losses;
                Evaluation ev = validate ? evaluate(val, epoch) : null;
                if (ev != null) noteSkipped(ev.skipped());
                if (plateau != null) plateau.step(ev.loss(), optimizer);
                saveExtra(runDir, step);
                Map<String, String> meta = plateau == null ? Map.of() : PlateauState.metadata(plateau);
                ckpt = run.checkpoint(model, optimizer.state(), config, epoch + 1, step, epoch + 1 == config.epochs(), meta);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("type", "epoch");
                line.put("epoch", epoch);
                line.put("steps_done", step);
                line.put("steps", steps);
                line.put("mean_loss", meanLoss);
                line.put("skipped_images", epochSkipped);
                if (ev != null) {
                    line.put("val_loss", ev.loss());
                    line.put("val_auc", ev.macroAuc());
                    line.put("val_images", ev.scored().n());
                }
                if (plateau != null) line.put("next_lr", plateau.lr());
                line.putAll(epochFields());
                run.log(line);
                skipped.write(runDir);
                writeReport(runDir, ev == null ? null : ev.scored(), ev == null ? null : "validation, epoch " + (epoch + 1), 0);
                if (log != null)
                    log.printf(Locale.ROOT, "epoch %d/%d: %d steps, mean loss %.4f%s%s%n", epoch + 1, config.epochs(), steps, meanLoss,
                            ev == null ? "" : String.format(Locale.ROOT, ", val loss %.4f, val auc %.4f", ev.loss(), ev.macroAuc()),
                            epochSkipped > 0 ? ", " + epochSkipped + " images skipped" : "");
            }
        }
        startEpoch = Math.max(startEpoch, end);
        return new TrainResult(step, end, meanLoss, ckpt);
    }

    /** Checks the micro-batch's loss, backpropagates it (divided by accumulate when {@code scaled}); returns the loss. */
    protected final float backward(Forward f, int epoch, boolean scaled) {
        float value = f.loss().item();
        if (!Float.isFinite(value)) throw new TrainingDivergedException(epoch, step, value);
        (scaled ? accumulation.scale(f.loss()) : f.loss()).backward();
        return value;
    }

    /** The batch's pixels as the model's input (B, 3, R, R). */
    protected final Tensor images(BatchLoader.Batch b) {
        int r = model.config().imageResolution();
        return Tensor.of(model.logitScale.backend(), b.pixels(), b.size(), 3, r, r);
    }

    /**
     * Runs {@code body} on every non-empty batch of {@code data} in data-set order, without augmentation and
     * without recording gradients (the scoring of a held-out split); returns the images that could not be read.
     */
    protected final List<BatchLoader.Skipped> forEachHeldOutBatch(Dataset data, int epoch, java.util.function.Consumer<BatchLoader.Batch> body) {
        var pipeline = new ImagePipeline(new ClipTransform(model.config().imageResolution()), null, config.seed());
        try (var loader = new BatchLoader(data, pipeline, config.batch(), epoch, false, config.seed(), config.loaderThreads(), 2);
             var g = org.cxrclip.engine.Autograd.noGrad()) {
            while (loader.hasNext()) {
                BatchLoader.Batch b = loader.next();
                if (b.size() > 0) body.accept(b);
            }
            return loader.skipped();
        }
    }

    /** Ground truth for AUC from a label value: 1 positive, NaN not mentioned, anything else (0, −1) negative. */
    protected static float truth(float label) {
        return Float.isNaN(label) ? Float.NaN : label == 1f ? 1f : 0f;
    }

    /**
     * One optimiser step on the accumulated gradients (none when {@code update} is false: the schedule still
     * advances); returns the start of its step line: type, epoch, step, lr, grad_norm and {@link #afterStep}'s fields.
     */
    protected final Map<String, Object> optimiserStep(Dataset train, int epoch, boolean update) {
        schedule.applyTo(optimizer, step);
        double lr = optimizer.lr();
        double norm = Double.NaN;
        if (update) {
            norm = config.gradClipNorm() > 0 ? GradClip.clipNorm(parameters, config.gradClipNorm()) : Double.NaN;
            optimizer.step();
            optimizer.zeroGrad();
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "step");
        line.put("epoch", epoch);
        line.put("step", step); // 0-based index of this step
        line.put("lr", lr);
        line.put("grad_norm", norm);
        step++;
        line.putAll(afterStep(train, epoch));
        return line;
    }

    /**
     * Rewrites report.md (config, epochs, curves, per-class AUC and ROC plots of {@code scored}, skipped images)
     * in {@code runDir}; {@code resamples} bootstrap resamples for the AUC intervals (0: none).
     */
    public void writeReport(Path runDir, ScoredLabels scored, String scoredTitle, int resamples) throws IOException {
        AucSummary summary = scored == null || scored.labels().isEmpty() ? null : scored.summary(rare, resamples, config.seed());
        new RunReport(runDir, config.toMap(), skipped.asMap()).write(summary, scored, scoredTitle);
    }

    /** Labels with fewer than {@code threshold} positives in {@code train}. */
    public static Set<String> rareLabels(Dataset train, int threshold) {
        int[] pos = train.positives();
        Set<String> out = new HashSet<>();
        for (int j = 0; j < pos.length; j++) if (pos[j] < threshold) out.add(train.labelNames().get(j));
        return out;
    }

    private void noteSkipped(List<BatchLoader.Skipped> list) {
        for (BatchLoader.Skipped s : list) skipped.note(s.image(), s.reason());
    }

}
