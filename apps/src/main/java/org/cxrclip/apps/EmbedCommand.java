package org.cxrclip.apps;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cxrclip.clip.embed.ClipEncoder;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.clip.tokenizer.VocabularyLocator;
import org.cxrclip.clip.weights.SafetensorsWriter;
import org.cxrclip.clip.weights.StateDict;
import org.cxrclip.clip.weights.WeightTensor;
import org.cxrclip.train.data.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cxrclip embed}: CLIP image and/or text features (projected, before L2 normalisation) into one
 * safetensors file: {@code image_embeds} (N, D), {@code text_embeds} (M, D), and metadata {@code images} (a
 * JSON array of the embedded files in row order) and {@code skipped} (unreadable images with the reason).
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed images (a folder or a manifest) and/or texts (one per line) with CLIP.")
final class EmbedCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    ImageInputOptions input;

    @Option(names = "--texts", paramLabel = "FILE", description = "Text file, one text per line (UTF-8).")
    Path texts;

    @Option(names = "--vocab", paramLabel = "FILE", description = "CLIP BPE vocabulary (else $CXRCLIP_VOCAB or ~/.cache/cxrclip).")
    Path vocab;

    @Option(names = "--out", required = true, paramLabel = "OUT.safetensors", description = "Output file (written atomically).")
    Path out;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws IOException {
        model.validate();
        input.requireAtMostOne();
        if (!input.given() && texts == null)
            throw new IllegalArgumentException("nothing to embed: give --images DIR, --manifest CSV and/or --texts FILE");
        List<Path> images = input.images != null ? ImageInputOptions.listImages(input.images) : null;
        if (input.manifest != null) {
            Manifest m = input.readManifest(List.of());
            images = m.entries().stream().map(Manifest.Entry::image).toList();
        }
        List<String> lines = texts == null ? null : org.cxrclip.engine.io.Utf8LineReader.readAllLines(texts);
        SimpleTokenizer tokenizer = lines == null ? null : SimpleTokenizer.load(new VocabularyLocator().locate(vocab));

        Clip clip = model.load();
        ClipEncoder encoder = new ClipEncoder(clip, batch);
        int dim = clip.config().embedDim();
        StateDict result = new StateDict(out.toString());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", model.describe());
        if (images != null) {
            final int total = images.size();
            ClipEncoder.ImageFeatures f = encoder.encodeImages(images, input.transform(clip.config().imageResolution()),
                    Progress.counter("embed: images", total));
            result.put(WeightTensor.ofFloats("image_embeds", f.features(), f.count(), dim));
            meta.put("images", Json.compact(f.files().stream().map(Path::toString).toList()));
            meta.put("skipped", Json.compact(f.skipped().stream().map(s -> s.file() + ": " + s.reason()).toList()));
            for (ClipEncoder.Skipped s : f.skipped()) System.err.println("embed: skipped " + s.file() + ": " + s.reason());
            System.out.printf("embed: %d images embedded, %d skipped%n", f.count(), f.skipped().size());
        }
        if (lines != null) {
            float[] t = encoder.encodeTexts(lines, tokenizer);
            result.put(WeightTensor.ofFloats("text_embeds", t, lines.size(), dim));
            System.out.printf("embed: %d texts embedded%n", lines.size());
        }
        SafetensorsWriter.write(out, result, meta);
        System.out.println("embed: wrote " + out);
        return 0;
    }
}
