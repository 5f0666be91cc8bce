package org.cxrclip.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that a crash, a kill or a full disk at any moment leaves either the old file or the new
 * one, never a mix: the content goes to a temporary file beside the target, which is fsynced, renamed over
 * the target (atomic within one file system) and then the folder is fsynced so the rename itself is durable.
 * A failed write deletes its temporary file; one left by a killed process is named {@code <target>.<random>.tmp}
 * and is never read.
 */
public final class AtomicFile {
    private AtomicFile() {}

    /** Writes the content of a file through an open channel. */
    @FunctionalInterface
    public interface Body {
        void write(FileChannel channel) throws IOException;
    }

    /** Replaces {@code target} with what {@code body} writes. */
    public static void replace(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, abs.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                body.write(ch);
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncFolder(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Replaces {@code target} with {@code text} in UTF-8. */
    public static void replace(Path target, String text) throws IOException {
        replace(target, ch -> writeFully(ch, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
    }

    public static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    /** fsync of a folder (makes a rename in it durable); a no-op where the platform cannot open folders (Windows). */
    private static void syncFolder(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) throw e;
        }
    }
}
