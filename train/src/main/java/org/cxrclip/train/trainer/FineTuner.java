package org.cxrclip.train.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.weights.SafetensorsReader;
import org.cxrclip.clip.weights.SafetensorsWriter;
import org.cxrclip.clip.weights.StateDict;
import org.cxrclip.clip.weights.WeightTensor;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.nn.Linear;
import org.cxrclip.train.data.BatchLoader;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.loss.BceWithLogitsLoss;
import org.cxrclip.train.metrics.ScoredLabels;
import org.cxrclip.train.optim.Freezing;

/**
 * Supervised fine-tuning as the thesis' {@code LitCLIP}/{@code CLIPClassifier}: a linear head Linear(embed → L)
 * on the projected image embedding (not normalised), BCE with logits over the L labels with per-class
 * pos_weight = negatives/positives of the train split (switchable), the vision tower trainable (or only its
 * LayerNorms), the text tower unused and frozen. Targets: 1 positive, NaN missing (left out of the loss),
 * anything else (0, uncertain −1) negative, as the thesis maps −1 and NaN to 0 (NaN only appears under the
 * "ignore" uncertain policy).
 *
 * <p>The run folder keeps last.safetensors a plain CLIP under OpenAI names (so every other command loads it
 * unchanged) and puts the head in {@value #HEAD}: tensors {@code head.weight} (L, embed) and
 * {@code head.bias} (L), metadata {@code cxrclip_step} (the checkpoint's step, checked on resume) and
 * {@code cxrclip_labels} (the label names, one per line, in column order). Written atomically before the
 * checkpoint.
 */
public final class FineTuner extends TrainingLoop {
    public static final String HEAD = "head.safetensors";

    private final Linear head;
    private final List<String> labels;
    private BceWithLogitsLoss loss = new BceWithLogitsLoss();

    /** A fresh head for {@code labels} (torch's default Linear init, seeded by the config's seed). */
    public FineTuner(Clip model, List<String> labels, TrainConfig config) {
        this(model, labels, new Linear(model.logitScale.backend(), model.config().embedDim(), labels.size(), true,
                new Rng(Rng.hash(config.seed(), 0x4EADL))), config);
    }

    private FineTuner(Clip model, List<String> labels, Linear head, TrainConfig config) {
        super(model, trainable(model, head, config), config);
        if (config.mode() != TrainConfig.Mode.FT) throw new IllegalArgumentException("FineTuner needs mode ft, got " + config.mode());
        if (labels.isEmpty()) throw new IllegalArgumentException("fine-tuning needs label columns, the data set has none");
        this.head = head;
        this.labels = List.copyOf(labels);
    }

    /** The vision tower (all of it, or its LayerNorms) and the head train; the text tower is frozen. */
    private static Map<String, Tensor> trainable(Clip model, Linear head, TrainConfig config) {
        boolean normsOnly = config.freeze() == Freezing.Mode.LAYER_NORM_ONLY;
        Freezing.apply(model.namedParameters(), n -> n.startsWith("visual.") && (!normsOnly || Freezing.isLayerNorm(n)));
        Map<String, Tensor> p = new LinkedHashMap<>(model.namedParameters());
        head.namedParameters().forEach((n, t) -> p.put("head." + n, t));
        return p;
    }

    public Linear head() {
        return head;
    }

    /** Sets the BCE's class weights from the train split's label counts (or none with posWeight off). */
    @Override
    protected void prepare(Dataset train) {
        if (!train.labelNames().equals(labels))
            throw new IllegalArgumentException("fine-tuning: the train split's labels " + train.labelNames() + " differ from the head's " + labels);
        loss = config.posWeight() ? new BceWithLogitsLoss(BceWithLogitsLoss.posWeightFromTargets(targets(train), labels.size()))
                : new BceWithLogitsLoss();
    }

    @Override
    protected Forward forward(BatchLoader.Batch b, Dataset train, int epoch) {
        Tensor logits = head.forward(model.encodeImage(images(b))); // (B, L)
        return new Forward(loss.forward(logits, targets(b.labels())), Map.of());
    }

    /** Head logits of every readable image of {@code data} and the mean BCE (same class weights as training). */
    @Override
    public Evaluation evaluate(Dataset data, int epoch) {
        int l = labels.size();
        float[] scores = new float[data.size() * l], truth = new float[data.size() * l];
        int[] rows = new int[data.size()];
        int[] n = {0};
        double[] lossSum = {0};
        List<BatchLoader.Skipped> skipped = forEachHeldOutBatch(data, epoch, b -> {
            Tensor logits = head.forward(model.encodeImage(images(b)));
            float[] y = targets(b.labels());
            lossSum[0] += loss.forward(logits, y).item() * b.size();
            System.arraycopy(logits.toArray(), 0, scores, n[0] * l, b.size() * l);
            for (int i = 0; i < y.length; i++) truth[n[0] * l + i] = truth(b.labels()[i]);
            System.arraycopy(b.indices(), 0, rows, n[0], b.size());
            n[0] += b.size();
        });
        return new Evaluation(n[0] == 0 ? Double.NaN : lossSum[0] / n[0],
                new ScoredLabels(labels, Arrays.copyOf(scores, n[0] * l), Arrays.copyOf(truth, n[0] * l), n[0]),
                Arrays.copyOf(rows, n[0]), skipped);
    }

    @Override
    protected void saveExtra(Path runDir, long step) throws IOException {
        StateDict sd = new StateDict(runDir.resolve(HEAD).toString());
        sd.put(WeightTensor.ofFloats("head.weight", head.weight.toArray(), head.weight.shape()));
        sd.put(WeightTensor.ofFloats("head.bias", head.bias.toArray(), head.bias.shape()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("cxrclip_step", Long.toString(step));
        meta.put("cxrclip_labels", String.join("\n", labels));
        SafetensorsWriter.write(runDir.resolve(HEAD), sd, meta);
    }

    @Override
    protected void loadExtra(Path runDir, long step) throws IOException {
        Path file = runDir.resolve(HEAD);
        if (!Files.isRegularFile(file)) throw new IOException(runDir + ": nothing to resume fine-tuning from (no " + HEAD + ")");
        var meta = SafetensorsReader.metadata(file);
        long headStep = OptimizerCheckpoint.parseLong(file, "cxrclip_step", meta.get("cxrclip_step"));
        if (headStep != step)
            throw new IOException(runDir + ": " + HEAD + " is from step " + headStep + " but " + RunDirectory.CHECKPOINT + " from " + step
                    + " (interrupted while saving?)");
        String names = meta.getOrDefault("cxrclip_labels", "");
        if (!List.of(names.split("\n", -1)).equals(labels))
            throw new IOException(file + ": the head's labels [" + names.replace('\n', ',') + "] differ from the data set's " + labels);
        StateDict sd = SafetensorsReader.read(file);
        head.weight.assign(sd.require("head.weight", head.weight.shape()).toFloats());
        head.bias.assign(sd.require("head.bias", head.bias.shape()).toFloats());
    }

    /** BCE targets (n, L) of label rows: 1 → 1, NaN → NaN (missing), else 0. */
    private static float[] targets(float[] labelRows) {
        float[] t = new float[labelRows.length];
        for (int i = 0; i < t.length; i++) t[i] = truth(labelRows[i]);
        return t;
    }

    private static float[] targets(Dataset d) {
        int l = d.labelNames().size();
        float[] t = new float[d.size() * l];
        for (int i = 0; i < d.size(); i++) System.arraycopy(d.get(i).labels(), 0, t, i * l, l);
        return targets(t);
    }
}
