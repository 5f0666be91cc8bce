package org.cxrclip.apps;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.clip.tokenizer.VocabularyLocator;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.LoadOptions;
import org.cxrclip.train.data.ManifestDataset;
import org.cxrclip.train.data.PatientSplits;
import org.cxrclip.train.data.Sample;
import org.cxrclip.train.trainer.ContrastiveTrainer;
import org.cxrclip.train.trainer.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxrclip train cls|cml}: trains a CLIP on a manifest's image–text pairs and writes metrics.jsonl,
 * last.safetensors and state.json into the run folder. The manifest's {@code train} split is used when it has
 * one; otherwise a seeded 80:20 split by patient is made and only its train part is used (no leakage of a
 * patient's images into the held-out 20 %). {@code --seed} seeds both the preset initialisation and training.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train CLIP contrastively: cls (InfoNCE) or cml (CXR-CML: InfoNCE + triplet loss on mixture pseudo-labels).")
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODE", description = "cls or cml.")
    String mode;

    @Mixin
    ModelOptions model;

    @Option(names = "--manifest", required = true, paramLabel = "CSV", description = "Manifest with image, text (or labels) and optional split.")
    Path manifest;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder (metrics.jsonl, last.safetensors, state.json).")
    Path out;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-4", description = "Peak learning rate of the one-cycle schedule (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--text", defaultValue = "report", paramLabel = "SOURCE",
            description = "report (the manifest's text) or meta-labels (sentences from the positive labels); default ${DEFAULT-VALUE}.")
    String text;

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
        TrainConfig.Mode m = switch (mode.toLowerCase(Locale.ROOT)) {
            case "cls" -> TrainConfig.Mode.CLS;
            case "cml" -> TrainConfig.Mode.CML;
            default -> throw new IllegalArgumentException("MODE must be cls or cml, got '" + mode + "'");
        };
        TrainConfig.TextSource source = switch (text.toLowerCase(Locale.ROOT)) {
            case "report" -> TrainConfig.TextSource.REPORT;
            case "meta-labels" -> TrainConfig.TextSource.META_LABELS;
            default -> throw new IllegalArgumentException("--text must be report or meta-labels, got '" + text + "'");
        };
        TrainConfig config = TrainConfig.defaults(m).withEpochs(epochs).withBatch(batch).withLr(lr).withSeed(model.seed)
                .withTextSource(source).withAugment(!noAugment);
        SimpleTokenizer tokenizer = SimpleTokenizer.load(new VocabularyLocator().locate(vocab));
        if (folds != null) return new FoldRunner(m.name().toLowerCase(Locale.ROOT), manifest, out, folds, model, resume).train(tokenizer,
                fresh -> new ContrastiveTrainer(fresh, tokenizer, config).withLog(System.out));
        Dataset train = trainSplit(ManifestDataset.load(manifest, LoadOptions.defaults()), model.seed);
        if (train.size() < 2) throw new IllegalArgumentException(manifest + ": the train split has " + train.size() + " images, need at least 2");
        Clip clip = model.load();
        System.out.printf(Locale.ROOT, "train %s: %d images, model %s, %d epochs, batch %d, lr %g -> %s%n",
                m.name().toLowerCase(Locale.ROOT), train.size(), model.describe(), epochs, batch, lr, out);
        var trainer = new ContrastiveTrainer(clip, tokenizer, config).withLog(System.out);
        if (resume) trainer.resumeFrom(out);
        var result = trainer.fit(train, out);
        System.out.printf(Locale.ROOT, "train: %d steps, last epoch mean loss %.4f, checkpoint %s%n", result.steps(),
                result.lastEpochMeanLoss(), result.checkpoint());
        return 0;
    }

    /** The manifest's "train" split, or the train part of a seeded 80:20 patient split when it has no splits. */
    static Dataset trainSplit(Dataset all, long seed) {
        boolean hasTrain = all.samples().stream().map(Sample::split).anyMatch("train"::equals);
        if (hasTrain) return all.split("train");
        return all.withSplits(PatientSplits.trainVal(all, 0.2, seed)).split("train");
    }
}
