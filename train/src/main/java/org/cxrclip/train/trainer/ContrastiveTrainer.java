package org.cxrclip.train.trainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.clip.image.ClipTransform;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.engine.Tensor;
import org.cxrclip.train.data.BatchLoader;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.ImagePipeline;
import org.cxrclip.train.data.LabelText;
import org.cxrclip.train.data.RandomAffine;
import org.cxrclip.train.data.Sample;
import org.cxrclip.train.data.SentenceSubsampler;
import org.cxrclip.train.loss.CxrCmlLoss;
import org.cxrclip.train.loss.InfoNceLoss;
import org.cxrclip.train.loss.TripletLoss;
import org.cxrclip.train.optim.AdamW;
import org.cxrclip.train.optim.GradClip;
import org.cxrclip.train.optim.LrSchedule;
import org.cxrclip.train.optim.OneCycle;
import org.cxrclip.train.optim.WarmupCosine;
import org.cxrclip.train.optim.WeightDecayRule;

/**
 * Trains a {@link Clip} on image–text pairs: CLS (symmetric InfoNCE) or CXR-CML (InfoNCE + λ·triplet loss on
 * the image embeddings, with pseudo-labels from a mixture refitted on all train images at each epoch start).
 *
 * <p>One step: set lr (and β1) from the schedule → encode images and tokenised texts → loss → stop with
 * {@link TrainingDivergedException} if it is not finite (before any update) → backward → optional global
 * gradient-norm clip → AdamW → logit-scale clamp → clear gradients. The checkpoint is written at every epoch
 * end; metrics.jsonl gets one line per step and one per epoch. The schedule spans epochs × batches steps,
 * computed from the data set size (a batch shortened by unreadable images still counts as a step).
 */
public final class ContrastiveTrainer {
    /** What one optimiser step measured; contrastive/triplet are NaN in CLS mode. */
    public record StepResult(float loss, float contrastive, float triplet, double lr, float logitScale, double gradNorm) {}

    /** The end of a run: steps taken, the last epoch's mean loss, the checkpoint written. */
    public record TrainResult(long steps, int epochs, double lastEpochMeanLoss, Path checkpoint) {}

    private final Clip model;
    private final SimpleTokenizer tokenizer;
    private final TrainConfig config;
    private final AdamW optimizer;
    private final InfoNceLoss infoNce = new InfoNceLoss();
    private final CxrCmlLoss cmlLoss;
    private final SentenceSubsampler subsampler = new SentenceSubsampler();
    private final LabelText labelText = LabelText.defaults();
    private LrSchedule schedule;
    private long step;
    private int startEpoch;
    private PrintStream log;

    public ContrastiveTrainer(Clip model, SimpleTokenizer tokenizer, TrainConfig config) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.config = config;
        var adam = new AdamW.Config(config.lr(), 0.9, 0.98, 1e-6, config.weightDecay());
        this.optimizer = new AdamW(model.namedParameters(), adam, WeightDecayRule.EXCLUDE_GAINS_BIASES);
        // Batch-all triplets averaged over the active ones: with small batches hard mining sees too few pairs.
        this.cmlLoss = new CxrCmlLoss(infoNce, new TripletLoss(config.cml().margin(), TripletLoss.Mining.BATCH_ALL, true),
                config.cml().lambda());
        this.schedule = LrSchedule.constant(config.lr());
    }

    /** Progress lines (one per epoch) go here; null for silence. */
    public ContrastiveTrainer withLog(PrintStream out) {
        this.log = out;
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

    /** Uses {@code s} for the following steps (fit sets the configured schedule over its own step count). */
    public void setSchedule(LrSchedule s) {
        this.schedule = s;
    }

    /**
     * Continues the run in {@code runDir}: loads last.safetensors into the model and optimizer.safetensors into
     * AdamW, and makes {@link #fit} start at the epoch after the checkpoint's (appending to metrics.jsonl). The
     * data, config and seed must be the run's own for the continuation to equal an uninterrupted run.
     */
    public ContrastiveTrainer resumeFrom(Path runDir) throws IOException {
        Path ckpt = runDir.resolve(RunDirectory.CHECKPOINT), opt = runDir.resolve(RunDirectory.OPTIMIZER);
        if (!java.nio.file.Files.isRegularFile(ckpt) || !java.nio.file.Files.isRegularFile(opt))
            throw new IOException(runDir + ": nothing to resume (needs " + RunDirectory.CHECKPOINT + " and " + RunDirectory.OPTIMIZER + ")");
        var meta = org.cxrclip.clip.weights.SafetensorsReader.metadata(ckpt);
        long ckptStep = OptimizerCheckpoint.parseLong(ckpt, "cxrclip_step", meta.get("cxrclip_step"));
        int epochs = (int) OptimizerCheckpoint.parseLong(ckpt, "cxrclip_epochs_done", meta.get("cxrclip_epochs_done"));
        long optStep = OptimizerCheckpoint.parseLong(ckpt, "cxrclip_optimizer_step", meta.get("cxrclip_optimizer_step"));
        var state = OptimizerCheckpoint.load(opt);
        if (state.step() != optStep)
            throw new IOException(runDir + ": " + RunDirectory.OPTIMIZER + " is from optimiser step " + state.step() + " but "
                    + RunDirectory.CHECKPOINT + " from " + optStep + " (interrupted while saving?)");
        model.loadStateDict(org.cxrclip.clip.model.ClipCheckpoint.source(org.cxrclip.clip.weights.SafetensorsReader.read(ckpt)));
        optimizer.loadState(state);
        this.step = ckptStep;
        this.startEpoch = epochs;
        return this;
    }

    /** Trains for the configured epochs on {@code train}, writing metrics, checkpoint and state to {@code runDir}. */
    public TrainResult fit(Dataset train, Path runDir) throws IOException {
        return fit(train, runDir, config.epochs());
    }

    /**
     * As {@link #fit(Dataset, Path)} but stops after epoch {@code stopAfter} (1-based count of epochs done), with
     * the schedule still spanning all configured epochs: a run cut short on purpose, resumable later.
     */
    public TrainResult fit(Dataset train, Path runDir, int stopAfter) throws IOException {
        if (train.size() < 2) throw new IllegalArgumentException("training needs at least 2 samples, the train split has " + train.size());
        int r = model.config().imageResolution();
        long perEpoch = (train.size() + config.batch() - 1) / config.batch();
        long total = perEpoch * config.epochs();
        schedule = switch (config.schedule()) {
            case ONE_CYCLE -> OneCycle.thesis(config.lr(), total);
            case WARMUP_COSINE -> new WarmupCosine(config.lr(), Math.max(1, total / 20), total, 0);
        };
        var pipeline = new ImagePipeline(new ClipTransform(r), config.augment() ? RandomAffine.paper() : null, config.seed());
        double meanLoss = Double.NaN;
        Path ckpt = startEpoch > 0 ? runDir.resolve(RunDirectory.CHECKPOINT) : null; // a resumed, finished run
        int end = Math.min(stopAfter, config.epochs());
        try (var run = new RunDirectory(runDir, startEpoch > 0)) {
            for (int epoch = startEpoch; epoch < end; epoch++) {
                PseudoLabeler.Labels pseudo = null;
                if (config.mode() == TrainConfig.Mode.CML) pseudo = PseudoLabeler.fit(model, train, config, epoch);
                double sum = 0;
                int steps = 0, skipped;
                try (var loader = new BatchLoader(train, pipeline, config.batch(), epoch, true, config.seed(), config.loaderThreads(), 2)) {
                    while (loader.hasNext()) {
                        BatchLoader.Batch b = loader.next();
                        if (b.size() < 2) { // InfoNCE of one pair is 0 and has no negatives: skip, but keep the schedule in step
                            step++;
                            continue;
                        }
                        List<String> texts = new ArrayList<>(b.size());
                        for (int idx : b.indices()) texts.add(text(train, idx, epoch));
                        int[] labels = null;
                        if (pseudo != null) {
                            labels = new int[b.size()];
                            for (int i = 0; i < b.size(); i++) labels[i] = pseudo.labels()[b.indices()[i]];
                        }
                        Tensor images = Tensor.of(model.logitScale.backend(), b.pixels(), b.size(), 3, r, r);
                        StepResult s = step(images, tokenizer.tokenize(texts, model.config().contextLength(), true), labels, epoch);
                        sum += s.loss();
                        steps++;
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("type", "step");
                        line.put("epoch", epoch);
                        line.put("step", step - 1); // 0-based index of the step just taken
                        line.put("loss", s.loss());
                        line.put("lr", s.lr());
                        line.put("logit_scale", s.logitScale());
                        line.put("grad_norm", s.gradNorm());
                        if (pseudo != null) {
                            line.put("contrastive", s.contrastive());
                            line.put("triplet", s.triplet());
                        }
                        run.log(line);
                    }
                    skipped = loader.skipped().size();
                }
                meanLoss = steps == 0 ? Double.NaN : sum / steps;
                ckpt = run.checkpoint(model, optimizer.state(), config, epoch + 1, step, epoch + 1 == config.epochs());
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("type", "epoch");
                line.put("epoch", epoch);
                line.put("steps_done", step);
                line.put("steps", steps);
                line.put("mean_loss", meanLoss);
                line.put("skipped_images", skipped);
                if (pseudo != null) {
                    line.put("clusters", pseudo.k());
                    line.put("mixture_mean_log_likelihood", pseudo.meanLogLikelihood());
                }
                run.log(line);
                if (log != null)
                    log.printf(java.util.Locale.ROOT, "epoch %d/%d: %d steps, mean loss %.4f%s%n", epoch + 1, config.epochs(), steps,
                            meanLoss, skipped > 0 ? ", " + skipped + " images skipped" : "");
            }
        }
        startEpoch = Math.max(startEpoch, end);
        return new TrainResult(step, end, meanLoss, ckpt);
    }

    /**
     * One optimiser step on a prepared batch: images (B, 3, R, R), tokens (B rows of the context length) and, in
     * CML mode, one pseudo-label per image (null in CLS mode).
     */
    public StepResult step(Tensor images, int[][] tokens, int[] pseudoLabels, int epoch) {
        schedule.applyTo(optimizer, step);
        double lr = optimizer.lr();
        Tensor img = model.encodeImage(images);
        Tensor txt = model.encodeText(tokens);
        Tensor loss;
        float contrastive = Float.NaN, triplet = Float.NaN;
        if (config.mode() == TrainConfig.Mode.CML) {
            if (pseudoLabels == null) throw new IllegalArgumentException("CML step needs pseudo-labels");
            CxrCmlLoss.Parts parts = cmlLoss.forward(img, txt, model.logitScale, pseudoLabels);
            loss = parts.total();
            contrastive = parts.contrastive();
            triplet = parts.metric();
        } else {
            loss = infoNce.forward(img, txt, model.logitScale);
        }
        float value = loss.item();
        if (!Float.isFinite(value)) throw new TrainingDivergedException(epoch, step, value);
        loss.backward();
        var params = model.namedParameters();
        double norm = config.gradClipNorm() > 0 ? GradClip.clipNorm(params, config.gradClipNorm()) : Double.NaN;
        optimizer.step();
        float scale = config.logitScale().apply(model.logitScale);
        optimizer.zeroGrad();
        step++;
        return new StepResult(value, contrastive, triplet, lr, scale, norm);
    }

    /** The text of sample {@code index}: its report (sentence-subsampled when augmenting) or its meta-labels. */
    String text(Dataset data, int index, int epoch) {
        Sample s = data.get(index);
        if (config.textSource() == TrainConfig.TextSource.META_LABELS) return labelText.text(s.labels(), data.labelNames());
        String t = s.text() == null ? "" : s.text();
        if (t.isBlank())
            throw new IllegalArgumentException("sample " + index + " (" + s.image() + ") has no report text; use --text meta-labels");
        if (!config.augment()) return t;
        String sub = subsampler.apply(t, SentenceSubsampler.seed(config.seed(), epoch, index));
        return sub.isBlank() ? t : sub;
    }
}
