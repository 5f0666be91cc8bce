package org.cxrclip.clip.weights;

/**
 * A weight file is malformed, truncated, unsafe, or does not hold what the caller needs. The message always names
 * the file and, where there is one, the tensor key, so a user can tell which checkpoint and which entry is wrong.
 */
public final class WeightFileException extends RuntimeException {
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
