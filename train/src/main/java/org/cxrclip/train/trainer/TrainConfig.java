package org.cxrclip.train.trainer;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.cxrclip.train.loss.LogitScale;
import org.cxrclip.train.loss.TripletLoss;
import org.cxrclip.train.optim.Freezing;

/**
 * Everything a training run (contrastive or supervised fine-tuning) is configured by, validated on construction so that a bad value fails
 * before any image is decoded. {@link #toMap()} is what state.json records.
 *
 * @param mode CLS (InfoNCE only), CML (InfoNCE + λ·triplet on mixture pseudo-labels) or FT (BCE on a linear
 *     head over the image embedding, text tower unused)
 * @param epochs passes over the train split (≥ 1)
 * @param batch images per micro-batch (≥ 2 for CLS/CML: InfoNCE needs negatives; ≥ 1 for FT)
 * @param lr peak learning rate of the schedule
 * @param weightDecay AdamW's decoupled decay (gains, biases and the logit scale excluded, as open_clip)
 * @param seed shuffling, augmentation, sentence subsampling and mixture seeds derive from it
 * @param textSource the report text, or the meta-label sentence built from the labels ({@code LabelText})
 * @param augment random affine on images and sentence subsampling on reports
 * @param schedule one-cycle (thesis), linear warm-up + cosine (open_clip), or ReduceLROnPlateau on the
 *     validation loss (CXR-CML: constant lr, × 0.1 after 2 epochs without improvement)
 * @param gradClipNorm max global gradient norm; 0 turns clipping off
 * @param logitScale the clamp applied after every step
 * @param cml CXR-CML's parameters (ignored in CLS mode)
 * @param loaderThreads image decoding threads
 * @param accumulate micro-batches whose gradients are summed (each scaled by 1/accumulate) per optimiser step
 * @param freeze which parameters train ({@link Freezing}); FT additionally always freezes the unused text tower
 * @param posWeight FT: weight each class's positive term by (1 − p)/p of the train split (the thesis' BCE)
 */
public record TrainConfig(Mode mode, int epochs, int batch, double lr, double weightDecay, long seed,
        TextSource textSource, boolean augment, Schedule schedule, double gradClipNorm, LogitScale.Policy logitScale,
        Cml cml, int loaderThreads, int accumulate, Freezing.Mode freeze, boolean posWeight) {

    public enum Mode { CLS, CML, FT }

    public enum TextSource { REPORT, META_LABELS }

    public enum Schedule { ONE_CYCLE, WARMUP_COSINE, PLATEAU }

    public enum Family { STUDENT_T, GAUSSIAN }

    /**
     * CXR-CML's clustering and metric-loss settings. The mixture is refitted on the L2-normalised image
     * embeddings of the whole train split at the start of every epoch.
     *
     * @param k mixture components; the trainer uses min(k, train images / 2) so that clusters can hold pairs
     * @param family Student-t (the paper's choice, heavy tails tolerate outliers) or Gaussian
     * @param nu Student-t degrees of freedom (fixed)
     * @param lambda weight of the triplet term (the paper: 1)
     * @param margin triplet margin on L2-normalised embeddings. 0.2 is FaceNet's value, which the CXR-CML paper
     *     does not state; on unit vectors the squared distance ranges over [0, 4], so 0.2 is a modest margin
     * @param mining batch-all (default: small batches give hard mining too few pairs) or batch-hard triplets
     * @param refitEvery also refit the mixture every this many optimiser steps within an epoch; 0 = epoch starts only
     * @param warmupEpochs train the first this many epochs with InfoNCE alone, then fit the mixture and add the
     *     triplet term (0, the paper's setting: from the first epoch, where it starts from a pretrained CLIP; a
     *     model trained from scratch first needs embeddings whose clusters mean something)
     */
    public record Cml(int k, Family family, double nu, float lambda, float margin, TripletLoss.Mining mining, long refitEvery,
                      int warmupEpochs) {
        public Cml {
            if (mining == null) throw new IllegalArgumentException("CML: triplet mining is required");
            if (warmupEpochs < 0) throw new IllegalArgumentException("CML: warm-up epochs must be >= 0, got " + warmupEpochs);
            if (refitEvery < 0) throw new IllegalArgumentException("CML: refit-every must be >= 0 steps (0 = every epoch), got " + refitEvery);
            if (k < 1) throw new IllegalArgumentException("CML: k must be >= 1, got " + k);
            if (family == null) throw new IllegalArgumentException("CML: mixture family is required");
            if (!(nu > 0) || Double.isInfinite(nu)) throw new IllegalArgumentException("CML: nu must be finite and > 0, got " + nu);
            if (!(lambda >= 0) || Float.isInfinite(lambda))
                throw new IllegalArgumentException("CML: lambda must be finite and >= 0, got " + lambda);
            if (!(margin >= 0) || Float.isInfinite(margin))
                throw new IllegalArgumentException("CML: margin must be finite and >= 0, got " + margin);
        }

        /** Batch-all mining, refitted at epoch starts only. */
        public Cml(int k, Family family, double nu, float lambda, float margin) {
            this(k, family, nu, lambda, margin, TripletLoss.Mining.BATCH_ALL, 0, 0);
        }

        public Cml withWarmupEpochs(int v) {
            return new Cml(k, family, nu, lambda, margin, mining, refitEvery, v);
        }

        public static Cml defaults() {
            return new Cml(40, Family.STUDENT_T, 4.0, 1f, 0.2f);
        }

        /** The k actually fitted for {@code n} train images. */
        public int effectiveK(int n) {
            return Math.max(1, Math.min(k, n / 2));
        }
    }

    public TrainConfig {
        if (mode == null || textSource == null || schedule == null || logitScale == null || cml == null || freeze == null)
            throw new IllegalArgumentException("train config: mode, text source, schedule, logit-scale policy, CML settings "
                    + "and freezing are required");
        if (epochs < 1) throw new IllegalArgumentException("train config: epochs must be >= 1, got " + epochs);
        if (mode == Mode.FT ? batch < 1 : batch < 2)
            throw new IllegalArgumentException("train config: batch must be >= " + (mode == Mode.FT ? "1" : "2 (InfoNCE needs negatives)")
                    + ", got " + batch);
        if (accumulate < 1) throw new IllegalArgumentException("train config: accumulate must be >= 1 micro-batches, got " + accumulate);
        if (freeze == Freezing.Mode.FROZEN) throw new IllegalArgumentException("train config: freezing everything leaves nothing to train");
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("train config: lr must be finite and > 0, got " + lr);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay))
            throw new IllegalArgumentException("train config: weight decay must be finite and >= 0, got " + weightDecay);
        if (!(gradClipNorm >= 0)) throw new IllegalArgumentException("train config: grad-clip norm must be >= 0, got " + gradClipNorm);
        if (loaderThreads < 1) throw new IllegalArgumentException("train config: loader threads must be >= 1, got " + loaderThreads);
    }

    /** Whether epoch {@code epoch} (0-based) fits the mixture and adds the triplet term: CML after its warm-up. */
    public boolean clusters(int epoch) {
        return mode == Mode.CML && epoch >= cml.warmupEpochs();
    }

    /** The thesis' recipe at a small scale: AdamW lr 1e-4, decay 0.2, one-cycle, clip 1.0, open_clip's clamp. */
    public static TrainConfig defaults(Mode mode) {
        return new TrainConfig(mode, 10, 64, 1e-4, 0.2, 0L, TextSource.REPORT, true, Schedule.ONE_CYCLE, 1.0,
                LogitScale.Policy.DEFAULT, Cml.defaults(), Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), 1,
                Freezing.Mode.FULL, true);
    }

    public TrainConfig withMode(Mode v) {
        return new TrainConfig(v, epochs, batch, lr, weightDecay, seed, textSource, augment, schedule, gradClipNorm, logitScale, cml, loaderThreads, accumulate, freeze, posWeight);
    }

    public TrainConfig withEpochs(int v) {
        return new TrainConfig(mode, v, batch, lr, weightDecay, seed, textSource, augment, schedule, gradClipNorm, logitScale, cml, loaderThreads, accumulate, freeze, posWeight);
    }

    public TrainConfig withBatch(int v) {
        return new TrainConfig(mode, epochs, v, lr, weightDecay, seed, textSource, augment, schedule, gradClipNorm, logitScale, cml, loaderThreads, accumulate, freeze, posWeight);
    }

    public TrainConfig withLr(double v) {
        return new TrainConfig(mode, epochs, batch, v, weightDecay, seed, textSource, augment, schedule, gradClipNorm, logitScale, cml, loaderThreads, accumulate, freeze, posWeight);
    }

    public TrainConfig withWeightDecay(double v) {
        return new TrainConfig(mode, epochs, batch, lr, v, seed, textSource, augment, schedule, gradClipNorm, logitScale, cml, loaderThreads, accumulate, freeze, posWeight);
    }

    public TrainConfig withSeed(long v) {
        return new TrainConfig(mode, epochs, batch, lr, weightDecay, v, textSource, augment, schedule, gradClipNorm, logitScale, cml, loaderThreads, accumulate, freeze, posWeight);
    }

    public TrainConfig withTextSource(TextSource v) {
        return new TrainConfig(mode, epochs, batch, lr, weightDecay, seed, v, augment, schedule, gradClipNorm, logitScale, cml, loaderThreads, accumulate, freeze, posWeight);
    }

    public TrainConfig withAugment(boolean v) {
        return new TrainConfig(mode, epochs, batch, lr, weightDecay, seed, textSource, v, schedule, gradClipNorm, logitScale, cml, loaderThreads, accumulate, freeze, posWeight);
    }

    public TrainConfig withSchedule(Schedule v) {
        return new TrainConfig(mode, epochs, batch, lr, weightDecay, seed, textSource, augment, v, gradClipNorm, logitScale, cml, loaderThreads, accumulate, freeze, posWeight);
    }

    public TrainConfig withGradClipNorm(double v) {
        return new TrainConfig(mode, epochs, batch, lr, weightDecay, seed, textSource, augment, schedule, v, logitScale, cml, loaderThreads, accumulate, freeze, posWeight);
    }

    public TrainConfig withLogitScale(LogitScale.Policy v) {
        return new TrainConfig(mode, epochs, batch, lr, weightDecay, seed, textSource, augment, schedule, gradClipNorm, v, cml, loaderThreads, accumulate, freeze, posWeight);
    }

    public TrainConfig withCml(Cml v) {
        return new TrainConfig(mode, epochs, batch, lr, weightDecay, seed, textSource, augment, schedule, gradClipNorm, logitScale, v, loaderThreads, accumulate, freeze, posWeight);
    }

    public TrainConfig withLoaderThreads(int v) {
        return new TrainConfig(mode, epochs, batch, lr, weightDecay, seed, textSource, augment, schedule, gradClipNorm, logitScale, cml, v, accumulate, freeze, posWeight);
    }

    public TrainConfig withAccumulate(int v) {
        return new TrainConfig(mode, epochs, batch, lr, weightDecay, seed, textSource, augment, schedule, gradClipNorm, logitScale, cml, loaderThreads, v, freeze, posWeight);
    }

    public TrainConfig withFreeze(Freezing.Mode v) {
        return new TrainConfig(mode, epochs, batch, lr, weightDecay, seed, textSource, augment, schedule, gradClipNorm, logitScale, cml, loaderThreads, accumulate, v, posWeight);
    }

    public TrainConfig withPosWeight(boolean v) {
        return new TrainConfig(mode, epochs, batch, lr, weightDecay, seed, textSource, augment, schedule, gradClipNorm, logitScale, cml, loaderThreads, accumulate, freeze, v);
    }

    /** Flat key → value view for state.json and the checkpoint metadata. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode.name().toLowerCase(Locale.ROOT));
        m.put("epochs", epochs);
        m.put("batch", batch);
        m.put("lr", lr);
        m.put("weight_decay", weightDecay);
        m.put("seed", seed);
        if (mode != Mode.FT) m.put("text", textSource.name().toLowerCase(Locale.ROOT)); // ft has no text tower in use
        m.put("augment", augment);
        m.put("schedule", schedule.name().toLowerCase(Locale.ROOT));
        m.put("grad_clip_norm", gradClipNorm);
        if (mode != Mode.FT) {
            m.put("logit_scale_clamp", logitScale.enabled());
            m.put("logit_scale_min", logitScale.min());
            m.put("logit_scale_max", logitScale.max());
        }
        m.put("accumulate", accumulate);
        m.put("freeze", freeze.name().toLowerCase(Locale.ROOT));
        if (mode == Mode.FT) m.put("pos_weight", posWeight);
        if (mode == Mode.CML) {
            m.put("cml_k", cml.k());
            m.put("cml_family", cml.family().name().toLowerCase(Locale.ROOT));
            m.put("cml_nu", cml.nu());
            m.put("cml_lambda", cml.lambda());
            m.put("cml_margin", cml.margin());
            m.put("cml_mining", cml.mining().name().toLowerCase(Locale.ROOT));
            m.put("cml_refit_every", cml.refitEvery());
            m.put("cml_warmup_epochs", cml.warmupEpochs());
        }
        return m;
    }
}
