package org.cxrclip.clip.embed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.cxrclip.clip.image.ImageDecoder;
import org.cxrclip.clip.image.ImageReadException;
import org.cxrclip.clip.image.ImageTransform;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.engine.Autograd;
import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Tensor;

/**
 * Batch inference with a {@link Clip}: images are decoded and transformed in parallel one batch at a time
 * (an unreadable image is skipped and reported, never fatal), texts are tokenized with truncation to the
 * model's context. Returns projected features before L2 normalisation, row-major (N, embed).
 */
public final class ClipEncoder {
    private final Clip model;
    private final int batch;

    /** An image that could not be read, with the reason. */
    public record Skipped(Path file, String reason) {}

    /** Features of the images that could be read, in input order, and the ones skipped. */
    public record ImageFeatures(float[] features, int dim, List<Path> files, List<Skipped> skipped) {
        public int count() {
            return files.size();
        }
    }

    /** Scales each row of x (rows, dim) to unit L2 norm in place (zero rows stay zero); returns x. */
    public static float[] normalizeRows(float[] x, int dim) {
        for (int r = 0; r < x.length / dim; r++) {
            double s = 0;
            for (int d = 0; d < dim; d++) s += (double) x[r * dim + d] * x[r * dim + d];
            float inv = (float) (1 / Math.max(Math.sqrt(s), 1e-12));
            for (int d = 0; d < dim; d++) x[r * dim + d] *= inv;
        }
        return x;
    }

    public ClipEncoder(Clip model, int batch) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        this.model = model;
        this.batch = batch;
    }

    public ImageFeatures encodeImages(List<Path> files, ImageTransform transform, IntConsumer progress) {
        int dim = model.config().embedDim(), n = transform.size(), plane = 3 * n * n;
        float[] out = new float[files.size() * dim];
        List<Path> done = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (int start = 0; start < files.size(); start += batch) {
            int end = Math.min(files.size(), start + batch);
            float[] pixels = new float[(end - start) * plane];
            String[] errors = new String[end - start];
            final int s0 = start;
            Parallel.forRange(end - start, 1, (a, b) -> {
                for (int i = a; i < b; i++) {
                    try {
                        transform.applyInto(ImageDecoder.read(files.get(s0 + i)), pixels, i * plane);
                    } catch (ImageReadException | IllegalArgumentException e) {
                        errors[i] = e.getMessage();
                    }
                }
            });
            int ok = 0;
            for (int i = 0; i < errors.length; i++) {
                if (errors[i] != null) {
                    skipped.add(new Skipped(files.get(start + i), errors[i]));
                    continue;
                }
                if (ok != i) System.arraycopy(pixels, i * plane, pixels, ok * plane, plane);
                done.add(files.get(start + i));
                ok++;
            }
            if (ok > 0) {
                float[] feats;
                try (var g = Autograd.noGrad()) {
                    Tensor images = Tensor.of(Arrays.copyOf(pixels, ok * plane), ok, 3, n, n);
                    feats = model.encodeImage(images).toArray();
                }
                System.arraycopy(feats, 0, out, (done.size() - ok) * dim, ok * dim);
            }
            if (progress != null) progress.accept(end);
        }
        return new ImageFeatures(Arrays.copyOf(out, done.size() * dim), dim, List.copyOf(done), List.copyOf(skipped));
    }

    /** Text features (M, embed); texts longer than the context are truncated as CLIP's truncate=True does. */
    public float[] encodeTexts(List<String> texts, SimpleTokenizer tokenizer) {
        int dim = model.config().embedDim(), ctx = model.config().contextLength();
        float[] out = new float[texts.size() * dim];
        for (int start = 0; start < texts.size(); start += batch) {
            int end = Math.min(texts.size(), start + batch);
            int[][] tokens = tokenizer.tokenize(texts.subList(start, end), ctx, true);
            try (var g = Autograd.noGrad()) {
                float[] f = model.encodeText(tokens).toArray();
                System.arraycopy(f, 0, out, start * dim, f.length);
            }
        }
        return out;
    }
}
