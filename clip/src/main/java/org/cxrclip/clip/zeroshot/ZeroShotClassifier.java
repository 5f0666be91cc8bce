package org.cxrclip.clip.zeroshot;

import java.util.ArrayList;
import java.util.List;
import org.cxrclip.clip.embed.ClipEncoder;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;

/**
 * Scores every image for every label from the similarity of L2-normalised image and prompt embeddings, in the
 * style of one of the papers ({@link PromptStyle}). Higher scores mean "more likely present".
 */
public final class ZeroShotClassifier {
    private final PromptStyle style;
    private final List<String> labels;
    private final float[] prompts; // (P, D), L2-normalised
    private final int dim;

    public ZeroShotClassifier(PromptStyle style, List<String> labels, ClipEncoder encoder, SimpleTokenizer tokenizer,
                              int dim) {
        this(style, requireLabels(labels), encoder.encodeTexts(promptTexts(style, labels), tokenizer), dim);
    }

    private ZeroShotClassifier(PromptStyle style, List<String> labels, float[] promptFeatures, int dim) {
        requireLabels(labels);
        int expected = promptTexts(style, labels).size() * dim;
        if (promptFeatures.length != expected)
            throw new IllegalArgumentException("zero-shot: " + style + " needs " + expected / dim + " prompt embeddings of dim "
                    + dim + " for " + labels.size() + " labels, got " + promptFeatures.length + " floats");
        this.style = style;
        this.labels = List.copyOf(labels);
        this.dim = dim;
        this.prompts = ClipEncoder.normalizeRows(promptFeatures.clone(), dim);
    }

    /**
     * A classifier over prompt features computed elsewhere, e.g. once on a Spark driver and broadcast:
     * promptFeatures (P, D) in {@link #promptTexts} order, normalised here.
     */
    public static ZeroShotClassifier ofPromptFeatures(PromptStyle style, List<String> labels, float[] promptFeatures, int dim) {
        return new ZeroShotClassifier(style, labels, promptFeatures, dim);
    }

    private static List<String> requireLabels(List<String> labels) {
        if (labels.isEmpty()) throw new IllegalArgumentException("zero-shot: no labels to score");
        return labels;
    }

    /** The prompt texts, in the order {@link #score} reads their embeddings. */
    public static List<String> promptTexts(PromptStyle style, List<String> labels) {
        List<String> t = new ArrayList<>();
        switch (style) {
            case PRESENT -> labels.forEach(l -> t.add(PromptStyle.spoken(l) + " is present"));
            case CHEXZERO -> labels.forEach(l -> {
                t.add(PromptStyle.spoken(l));
                t.add("no " + PromptStyle.spoken(l));
            });
            case NEUTRAL_DIFF -> {
                t.addAll(PromptStyle.NEUTRALS);
                for (String l : labels) for (String n : PromptStyle.NEUTRALS) t.add(n + " with " + PromptStyle.spoken(l));
            }
        }
        return t;
    }

    public List<String> labels() {
        return labels;
    }

    /** imageFeatures (N, D), not necessarily normalised → scores (N, L), row-major. */
    public float[] score(float[] imageFeatures, int n) {
        float[] img = ClipEncoder.normalizeRows(imageFeatures.clone(), dim);
        int l = labels.size();
        float[] out = new float[n * l];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < l; j++) {
                out[i * l + j] = switch (style) {
                    case PRESENT -> cos(img, i, j);
                    case CHEXZERO -> {
                        double pos = cos(img, i, 2 * j), neg = cos(img, i, 2 * j + 1);
                        yield (float) (1 / (1 + Math.exp(neg - pos)));
                    }
                    case NEUTRAL_DIFF -> {
                        int k = PromptStyle.NEUTRALS.size();
                        double d = 0;
                        for (int m = 0; m < k; m++) d += cos(img, i, k + j * k + m) - cos(img, i, m);
                        yield (float) (d / k);
                    }
                };
            }
        }
        if (style == PromptStyle.NEUTRAL_DIFF) minMaxPerColumn(out, n, l);
        return out;
    }

    private float cos(float[] img, int i, int p) {
        double s = 0;
        for (int d = 0; d < dim; d++) s += img[i * dim + d] * prompts[p * dim + d];
        return (float) s;
    }

    private static void minMaxPerColumn(float[] s, int n, int l) {
        for (int j = 0; j < l; j++) {
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                lo = Math.min(lo, s[i * l + j]);
                hi = Math.max(hi, s[i * l + j]);
            }
            float range = hi - lo;
            for (int i = 0; i < n; i++) s[i * l + j] = range > 0 ? (s[i * l + j] - lo) / range : 0.5f;
        }
    }
}
