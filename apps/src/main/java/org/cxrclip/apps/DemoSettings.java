package org.cxrclip.apps;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.train.trainer.TrainConfig;

/**
 * Everything one demo run is configured by, after the --quick profile and the flags are resolved; validated
 * before any image is drawn. {@link #toMap()} is what report.md and metrics.json record.
 *
 * @param n synthetic images
 * @param seed data, split, initialisation and training seed
 * @param size synthetic image side in pixels (the preset's input resolution is what the model sees)
 * @param minPrevalence every class raised to at least this prevalence (so rare classes have test positives)
 * @param preset the CLIP preset all methods start from (one initialisation, saved as init.safetensors)
 * @param epochs, batch, lr training settings shared by all methods
 * @param k, family, nu, lambda CXR-CML's mixture and metric-loss settings
 * @param cmlWarmupEpochs CXR-CML's first epochs trained with InfoNCE alone (0: the triplet term from the start)
 * @param methods what to train
 * @param tsnePoints test images drawn in the t-SNE map (a seeded subsample)
 * @param bootstrap resamples for the AUC intervals
 */
record DemoSettings(String profile, int n, long seed, int size, double minPrevalence, String preset, int epochs, int batch,
                    double lr, int k, TrainConfig.Family family, double nu, float lambda, int cmlWarmupEpochs, boolean augment, List<DemoMethod> methods,
                    int tsnePoints, int tsneIterations, int bootstrap) {
    /** Train / val / test fractions of patients. */
    static final double[] SPLIT = {0.7, 0.1, 0.2};

    DemoSettings {
        if (n < 50) throw new IllegalArgumentException("--n must be at least 50 (three patient splits and batches), got " + n);
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (batch < 2) throw new IllegalArgumentException("--batch must be >= 2 (InfoNCE needs negatives), got " + batch);
        if (k < 1) throw new IllegalArgumentException("--k must be >= 1, got " + k);
        if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
        if (cmlWarmupEpochs < 0 || cmlWarmupEpochs >= epochs)
            throw new IllegalArgumentException("--cml-warmup-epochs must be >= 0 and below --epochs (" + epochs + "), got " + cmlWarmupEpochs);
    }

    /** The train config of one method: shared settings, the method's mode and text. */
    TrainConfig trainConfig(DemoMethod m) {
        return TrainConfig.defaults(m.mode()).withEpochs(epochs).withBatch(batch).withLr(lr).withSeed(seed)
                .withTextSource(m.text()).withAugment(augment).withCml(new TrainConfig.Cml(k, family, nu, lambda, TrainConfig.Cml.defaults().margin())
                        .withWarmupEpochs(cmlWarmupEpochs));
    }

    String nuName() {
        return family == TrainConfig.Family.GAUSSIAN ? "gaussian" : fmt(nu);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("profile", profile);
        m.put("n", n);
        m.put("seed", seed);
        m.put("image_size", size);
        m.put("min_prevalence", minPrevalence);
        m.put("preset", preset);
        m.put("epochs", epochs);
        m.put("batch", batch);
        m.put("lr", lr);
        m.put("augment", augment);
        m.put("cml_k", k);
        m.put("cml_nu", nuName());
        m.put("cml_lambda", (double) lambda);
        m.put("cml_warmup_epochs", cmlWarmupEpochs);
        m.put("methods", methods.stream().map(DemoMethod::name).toList());
        m.put("split_train_val_test", List.of(SPLIT[0], SPLIT[1], SPLIT[2]));
        m.put("prompts", "present (\"<label> is present\")");
        m.put("bootstrap_resamples", bootstrap);
        return m;
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
