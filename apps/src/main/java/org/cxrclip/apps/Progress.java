package org.cxrclip.apps;

import java.util.function.IntConsumer;

/** A one-line "what: done/total" counter on stderr, redrawn in place on a terminal and silent when piped. */
final class Progress {
    private Progress() {}

    static IntConsumer counter(String what, int total) {
        if (System.console() == null) return done -> { };
        return done -> {
            System.err.printf("\r%s %d/%d", what, done, total);
            if (done >= total) System.err.println();
        };
    }
}
