package org.cxrclip.train.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.cxrclip.engine.Rng;

/** Small files the data tests write into their @TempDir: CSVs (plain or gzip) and random images. */
final class Fixtures {
    private Fixtures() {}

    static Path text(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (file.getFileName().toString().endsWith(".gz")) {
            try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(file))) {
                os.write(content.getBytes(StandardCharsets.UTF_8));
            }
        } else Files.writeString(file, content);
        return file;
    }

    /** A w×h gray image of seeded noise, as PNG or JPEG by extension. */
    static Path image(Path file, int w, int h, long seed) throws IOException {
        Rng r = new Rng(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, r.nextInt(256));
        Files.createDirectories(file.toAbsolutePath().getParent());
        String n = file.getFileName().toString();
        ImageIO.write(img, n.endsWith(".png") ? "png" : "jpeg", file.toFile());
        return file;
    }

    /** A w×h RGB image of seeded noise as PNG. */
    static Path rgbImage(Path file, int w, int h, long seed) throws IOException {
        Rng r = new Rng(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++) img.getRaster().setSample(x, y, c, r.nextInt(256));
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
