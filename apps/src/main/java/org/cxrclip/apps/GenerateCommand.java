package org.cxrclip.apps;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cxrclip.clip.embed.ClipEncoder;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.clip.tokenizer.VocabularyLocator;
import org.cxrclip.train.generate.GeneratedImages;
import org.cxrclip.train.generate.GuidanceAugmentations;
import org.cxrclip.train.generate.TextToImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cxrclip generate}: images from texts by gradient ascent on CLIP's image-text similarity (Language over
 * Labels §4.5), to see what a model has learned. One text gives a grey PNG; several give a labelled grid.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate an image per text by gradient ascent on CLIP's image-text cosine similarity "
                + "(image pyramid + VQGAN-CLIP augmentations, AdamW on the pixels). One text: a grey PNG; "
                + "several: a grid with each text under its image. --seed seeds the generation (and a --preset's weights).")
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--text", paramLabel = "TEXT", description = "Text to visualise; repeat for a grid.")
    List<String> texts;

    @Option(names = "--out", paramLabel = "img.png", description = "Output PNG (written atomically).")
    Path out;

    @Option(names = "--steps", defaultValue = "100", description = "Optimiser steps per text (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", defaultValue = "0.03", description = "AdamW learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--weight-decay", defaultValue = "0.1", description = "AdamW decoupled weight decay (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--batch", defaultValue = "16",
            description = "Augmented copies encoded per step (default ${DEFAULT-VALUE}, the thesis code's).")
    int copies;

    @Option(names = "--size", paramLabel = "PX",
            description = "Image size in pixels (default: the model's input resolution, 224 for ViT-B/32).")
    Integer size;

    @Option(names = "--vocab", paramLabel = "FILE", description = "CLIP BPE vocabulary (else $CXRCLIP_VOCAB or ~/.cache/cxrclip).")
    Path vocab;

    @Override
    public Integer call() throws IOException {
        model.validate();
        if (texts == null || texts.isEmpty()) throw new IllegalArgumentException("give at least one --text \"...\"");
        for (String t : texts) if (t.isBlank()) throw new IllegalArgumentException("--text must not be empty");
        if (out == null) throw new IllegalArgumentException("give --out FILE.png");
        checkWritable(out);
        var settings = new TextToImage.Settings(steps, lr, weightDecay, copies, size == null ? 0 : size, model.seed,
                GuidanceAugmentations.VQGAN_CLIP);
        SimpleTokenizer tokenizer = SimpleTokenizer.load(new VocabularyLocator().locate(vocab));
        Clip clip = model.load();
        float[] embeds = new ClipEncoder(clip, texts.size()).encodeTexts(texts, tokenizer);
        int dim = clip.config().embedDim();
        List<BufferedImage> images = new ArrayList<>();
        for (int k = 0; k < texts.size(); k++) {
            String label = texts.size() == 1 ? "generate" : "generate " + (k + 1) + "/" + texts.size();
            long start = System.nanoTime();
            var r = TextToImage.generate(clip, java.util.Arrays.copyOfRange(embeds, k * dim, (k + 1) * dim), settings,
                    progress(label));
            System.out.printf("%s: \"%s\" similarity %.4f -> %.4f (%d steps, %d copies/step, %.1f s)%n", label,
                    texts.get(k), r.initialSimilarity(), r.finalSimilarity(), steps, copies,
                    (System.nanoTime() - start) / 1e9);
            images.add(GeneratedImages.grey(r.pixels(), r.size()));
        }
        GeneratedImages.writePng(images.size() == 1 ? images.get(0) : GeneratedImages.grid(images, texts), out);
        System.out.println("generate: " + model.describe() + " -> " + out);
        return 0;
    }

    /** Fails before the slow work when the output cannot be written (missing permission, a directory...). */
    static void checkWritable(Path out) throws IOException {
        Path abs = out.toAbsolutePath();
        if (Files.isDirectory(abs)) throw new IOException(out + ": is a directory, expected a .png file");
        Path dir = abs.getParent();
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(Files.createTempFile(dir, ".generate", ".probe"));
        } catch (IOException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.FileAlreadyExistsException f ? f.getFile() + " is a file, not a directory"
                    : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getFile() + ": " + f.getReason()
                    : e.getMessage();
            throw new IOException(out + ": cannot write there (" + why + ")", e);
        }
    }

    /** The current similarity after each step: redrawn in place on a terminal, every 10 % of the steps otherwise. */
    private static TextToImage.StepListener progress(String label) {
        boolean console = System.console() != null;
        return (step, total, sim) -> {
            if (console) {
                System.err.printf("\r%s: step %d/%d similarity %.4f", label, step, total, sim);
                if (step == total) System.err.println();
            } else if (step == total || step % Math.max(1, total / 10) == 0) {
                System.err.printf("%s: step %d/%d similarity %.4f%n", label, step, total, sim);
            }
        };
    }
}
