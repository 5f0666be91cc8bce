package org.cxrclip.train.trainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.clip.embed.ClipEncoder;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.clip.zeroshot.PromptStyle;
import org.cxrclip.clip.zeroshot.ZeroShotClassifier;
import org.cxrclip.engine.Tensor;
import org.cxrclip.train.data.BatchLoader;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.LabelText;
import org.cxrclip.train.data.Sample;
import org.cxrclip.train.data.SentenceSubsampler;
import org.cxrclip.train.loss.CxrCmlLoss;
import org.cxrclip.train.loss.InfoNceLoss;
import org.cxrclip.train.loss.TripletLoss;
import org.cxrclip.train.metrics.ScoredLabels;
import org.cxrclip.train.optim.Freezing;

/**
 * Trains a {@link Clip} on image–text pairs: CLS (symmetric InfoNCE) or CXR-CML (InfoNCE + λ·triplet loss on
 * the image embeddings, with pseudo-labels from a mixture refitted on all train images at each epoch start and,
 * with {@code refitEvery}, every that many steps). The loop itself is {@link TrainingLoop}'s; after every
 * optimiser step the logit scale is clamped by the configured policy. Validation: the InfoNCE loss of the
 * validation pairs (full reports, no augmentation; CML too, since its triplet term needs pseudo-labels the
 * validation images do not have) and the zero-shot macro AUC with the "present" prompts.
 */
public final class ContrastiveTrainer extends TrainingLoop {
    /** What one optimiser step measured; contrastive/triplet are NaN in CLS mode. */
    public record StepResult(float loss, float contrastive, float triplet, double lr, float logitScale, double gradNorm) {}

    private final SimpleTokenizer tokenizer;
    private final InfoNceLoss infoNce = new InfoNceLoss();
    private final CxrCmlLoss cmlLoss;
    private final SentenceSubsampler subsampler = new SentenceSubsampler();
    private final LabelText labelText = LabelText.defaults();
    private PseudoLabeler.Labels pseudo;
    private int refits;

    public ContrastiveTrainer(Clip model, SimpleTokenizer tokenizer, TrainConfig config) {
        super(model, trainable(model, config), config);
        if (config.mode() == TrainConfig.Mode.FT) throw new IllegalArgumentException("fine-tuning (ft) is FineTuner's, not contrastive");
        this.tokenizer = tokenizer;
        var cml = config.cml();
        this.cmlLoss = new CxrCmlLoss(infoNce, new TripletLoss(cml.margin(), cml.mining(), true), cml.lambda());
    }

    /** As {@link TrainingLoop#withLog}, typed so that callers keep a ContrastiveTrainer. */
    @Override
    public ContrastiveTrainer withLog(java.io.PrintStream out) {
        super.withLog(out);
        return this;
    }

    private static Map<String, Tensor> trainable(Clip model, TrainConfig config) {
        if (config.freeze() != Freezing.Mode.FULL) Freezing.apply(model.namedParameters(), config.freeze());
        return model.namedParameters();
    }

    @Override
    protected void beginEpoch(Dataset train, int epoch) {
        refits = 0;
        pseudo = config.clusters(epoch) ? PseudoLabeler.fit(model, train, config, epoch) : null;
    }

    @Override
    protected Forward forward(BatchLoader.Batch b, Dataset train, int epoch) {
        if (b.size() < 2) return null; // InfoNCE of one pair is 0 and has no negatives
        List<String> texts = new ArrayList<>(b.size());
        for (int idx : b.indices()) texts.add(text(train, idx, epoch));
        int[] labels = null;
        if (config.clusters(epoch)) {
            labels = new int[b.size()];
            for (int i = 0; i < b.size(); i++) labels[i] = pseudo.labels()[b.indices()[i]];
        }
        return forward(images(b), tokenizer.tokenize(texts, model.config().contextLength(), true), labels);
    }

    private Forward forward(Tensor images, int[][] tokens, int[] pseudoLabels) {
        Tensor img = model.encodeImage(images);
        Tensor txt = model.encodeText(tokens);
        if (pseudoLabels == null) return new Forward(infoNce.forward(img, txt, model.logitScale), Map.of()); // CLS, or CML's warm-up
        CxrCmlLoss.Parts parts = cmlLoss.forward(img, txt, model.logitScale, pseudoLabels);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("contrastive", parts.contrastive());
        fields.put("triplet", parts.metric());
        return new Forward(parts.total(), fields);
    }

    @Override
    protected Map<String, Object> afterStep(Dataset train, int epoch) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("logit_scale", config.logitScale().apply(model.logitScale));
        long every = config.cml().refitEvery();
        if (config.clusters(epoch) && train != null && every > 0 && stepCount() % every == 0) {
            pseudo = PseudoLabeler.fit(model, train, config, epoch, ++refits);
            fields.put("refit", refits);
        }
        return fields;
    }

    @Override
    protected Map<String, Object> epochFields() {
        if (pseudo == null) return Map.of();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clusters", pseudo.k());
        m.put("mixture_mean_log_likelihood", pseudo.meanLogLikelihood());
        return m;
    }

    /**
     * One optimiser step on a prepared batch (no accumulation): images (B, 3, R, R), tokens (B rows of the
     * context length) and, in CML mode, one pseudo-label per image (null in CLS mode).
     */
    public StepResult step(Tensor images, int[][] tokens, int[] pseudoLabels, int epoch) {
        Forward f = forward(images, tokens, pseudoLabels);
        float value = backward(f, epoch, false);
        Map<String, Object> line = optimiserStep(null, epoch, true);
        float contrastive = (float) f.fields().getOrDefault("contrastive", Float.NaN);
        float triplet = (float) f.fields().getOrDefault("triplet", Float.NaN);
        return new StepResult(value, contrastive, triplet, (double) line.get("lr"), (float) line.get("logit_scale"),
                (double) line.get("grad_norm"));
    }

    @Override
    public Evaluation evaluate(Dataset data, int epoch) {
        int d = model.config().embedDim(), n = data.size();
        float[] features = new float[n * d];
        boolean[] seen = new boolean[n];
        double[] loss = {0, 0}; // summed InfoNCE × batch size, images with a loss
        List<BatchLoader.Skipped> skipped = forEachHeldOutBatch(data, epoch, b -> {
            Tensor img = model.encodeImage(images(b));
            float[] f = img.toArray();
            for (int i = 0; i < b.size(); i++) {
                System.arraycopy(f, i * d, features, b.indices()[i] * d, d);
                seen[b.indices()[i]] = true;
            }
            // Images without text (some real manifests have reports for only part of the rows) are left out of
            // the validation InfoNCE; the rest of their batch still counts when at least two pairs remain.
            List<String> texts = new ArrayList<>();
            int[] withText = new int[b.size()];
            for (int i = 0; i < b.size(); i++) {
                String t = evalText(data, b.indices()[i]);
                if (t != null) withText[texts.size()] = i;
                if (t != null) texts.add(t);
            }
            if (texts.size() >= 2) {
                Tensor pairs = texts.size() == b.size() ? img
                        : org.cxrclip.engine.ops.Gather.indexSelect(img, java.util.Arrays.copyOf(withText, texts.size()));
                Tensor txt = model.encodeText(tokenizer.tokenize(texts, model.config().contextLength(), true));
                loss[0] += infoNce.forward(pairs, txt, model.logitScale).item() * texts.size();
                loss[1] += texts.size();
            }
        });
        int m = 0;
        for (boolean s : seen) if (s) m++;
        int l = data.labelNames().size();
        float[] packed = new float[m * d], truth = new float[m * l];
        for (int i = 0, p = 0; i < n; i++)
            if (seen[i]) {
                System.arraycopy(features, i * d, packed, p * d, d);
                float[] y = data.get(i).labels();
                for (int j = 0; j < l; j++) truth[p * l + j] = truth(y[j]);
                p++;
            }
        float[] scores = new float[m * l];
        if (l > 0 && m > 0)
            scores = new ZeroShotClassifier(PromptStyle.PRESENT, data.labelNames(), new ClipEncoder(model, config.batch()), tokenizer, d)
                    .score(packed, m);
        int[] rows = java.util.stream.IntStream.range(0, n).filter(i -> seen[i]).toArray();
        return new Evaluation(loss[1] == 0 ? Double.NaN : loss[0] / loss[1], new ScoredLabels(data.labelNames(), scores, truth, m),
                rows, skipped);
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

    /** The full text of a held-out sample, or null when it has none (its batch then gives no loss). */
    private String evalText(Dataset data, int index) {
        Sample s = data.get(index);
        if (config.textSource() == TrainConfig.TextSource.META_LABELS) return labelText.text(s.labels(), data.labelNames());
        return s.text() == null || s.text().isBlank() ? null : s.text();
    }
}
