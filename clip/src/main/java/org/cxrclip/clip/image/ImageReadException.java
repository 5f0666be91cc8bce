package org.cxrclip.clip.image;

import java.nio.file.Path;
import org.cxrclip.engine.io.BadInput;

/**
 * An image file could not be turned into pixels: unreadable, empty, truncated, corrupt, or in a format or
 * pixel layout we do not support. The message always names the file, so a bad file among thousands in a
 * data set is found at once. Unchecked, because data loaders call the decoder from streams and pools.
 */
public final class ImageReadException extends RuntimeException implements BadInput {
    private final Path file;

    public ImageReadException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    /** The file that failed. */
    public Path file() {
        return file;
    }
}
