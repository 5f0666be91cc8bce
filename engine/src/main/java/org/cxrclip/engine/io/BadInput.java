package org.cxrclip.engine.io;

/**
 * Marks an exception caused by the user's input (a malformed weight file, an unreadable image) rather than by
 * our code: command lines report it as one line naming the file, without a stack trace.
 */
public interface BadInput {
    /**
     * Whether {@code e} is the user's to fix: a {@link BadInput}, or an argument, state or I/O error (a missing
     * file, a wrong shape, an unknown label). Anything else is a bug in cxrclip.
     */
    static boolean isBadInput(Throwable e) {
        return e instanceof BadInput || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException;
    }
}
