package org.cxrclip.train.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.cxrclip.engine.io.AtomicFile;

/**
 * Reports and plots replaced whole or not at all, through {@link AtomicFile} (temp file, fsync, rename, folder
 * fsync), so a crash mid-write leaves the previous version (report.md, plots, skipped.txt) intact.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    public static void writeString(Path file, String text) throws IOException {
        writeBytes(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Encodes {@code image} as PNG and writes it atomically. */
    public static void writePng(Path file, BufferedImage image) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", png)) throw new IOException(file + ": no PNG writer available");
        writeBytes(file, png.toByteArray());
    }

    public static void writeBytes(Path file, byte[] bytes) throws IOException {
        AtomicFile.replace(file, ch -> AtomicFile.writeFully(ch, ByteBuffer.wrap(bytes)));
    }
}
