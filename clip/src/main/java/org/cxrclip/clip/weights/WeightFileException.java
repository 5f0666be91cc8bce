package org.cxrclip.clip.weights;

import org.cxrclip.engine.io.BadInput;

/**
 * A weight file is malformed, truncated, unsafe, or does not hold what the caller needs. The message always names
 * the file and, where there is one, the tensor key, so a user can tell which checkpoint and which entry is wrong.
 */
public final class WeightFileException extends RuntimeException implements BadInput {
    public WeightFileException(String file, String message) {
        super(file + ": " + message);
    }

    public WeightFileException(String file, String key, String message) {
        super(file + ": key '" + key + "' " + message);
    }

    public WeightFileException(String file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }
}
