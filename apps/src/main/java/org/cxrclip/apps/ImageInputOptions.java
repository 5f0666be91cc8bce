package org.cxrclip.apps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.cxrclip.train.data.Manifest;
import picocli.CommandLine.Option;

/** A command's images: a folder (PNG/JPEG files in lexicographic order of name) or a manifest's rows in order. */
final class ImageInputOptions {
    @Option(names = "--images", paramLabel = "DIR", description = "Folder of .png/.jpg/.jpeg images (lexicographic order).")
    Path images;

    @Option(names = "--manifest", paramLabel = "CSV", description = "Manifest CSV: its 'image' column, in row order.")
    Path manifest;

    @Option(names = "--transform", defaultValue = "clip", paramLabel = "clip|chexzero",
            description = "Image preprocessing: clip (PIL bicubic shorter side, center crop, CLIP mean/std) or chexzero "
                    + "(320 px letterbox, mean 101.48761 / std 83.43944 on 0-255, torch bicubic to the model size). "
                    + "Default ${DEFAULT-VALUE}.")
    String transform;

    /** The preprocessing for a model of input size {@code n}. */
    org.cxrclip.clip.image.ImageTransform transform(int n) {
        return switch (transform.trim().toLowerCase(Locale.ROOT)) {
            case "clip" -> new org.cxrclip.clip.image.ClipTransform(n);
            case "chexzero" -> new org.cxrclip.clip.image.CheXzeroTransform(320, n);
            default -> throw new IllegalArgumentException("unknown --transform '" + transform + "' (known: clip, chexzero)");
        };
    }

    boolean given() {
        return images != null || manifest != null;
    }

    void requireAtMostOne() {
        if (images != null && manifest != null)
            throw new IllegalArgumentException("give --images DIR or --manifest CSV, not both");
    }

    /** The manifest, read with the given label columns (null = detect), or null for --images. */
    Manifest readManifest(List<String> labels) throws IOException {
        if (manifest == null) return null;
        if (!Files.isRegularFile(manifest)) throw new IOException(manifest + ": manifest not found");
        return Manifest.read(manifest, labels);
    }

    static List<Path> listImages(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": not a folder");
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
            }).sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
            if (files.isEmpty()) throw new IOException(dir + ": no .png, .jpg or .jpeg files");
            return files;
        }
    }
}
