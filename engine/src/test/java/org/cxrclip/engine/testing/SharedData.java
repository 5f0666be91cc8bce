package org.cxrclip.engine.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared folder that holds data we may not commit (CLIP's BPE vocabulary, the tokenizer goldens, the NIH and
 * COVID sample sets), found through {@code -Dcxrclip.shared} or {@code CXRCLIP_SHARED}. A test that needs a file
 * from it is skipped, with a reason naming the file and the setting, only when it is absent; {@code .ci/run}
 * checks it is present, so CI never skips them.
 */
public final class SharedData {
    /** CLIP's vocabulary, relative to the shared folder. */
    public static final String VOCABULARY = "data/clip/bpe_simple_vocab_16e6.txt.gz";

    private SharedData() {}

    /** The shared folder as configured, or null. */
    public static Path root() {
        String s = System.getProperty("cxrclip.shared");
        if (s == null || s.isBlank()) s = System.getenv("CXRCLIP_SHARED");
        return s == null || s.isBlank() ? null : Path.of(s);
    }

    /** {@code relative} (a file or a folder) under the shared folder; the calling test is skipped when it is absent. */
    public static Path require(String relative) {
        Path root = root();
        assumeTrue(root != null, "shared data not configured: set -Dcxrclip.shared or CXRCLIP_SHARED to read " + relative);
        Path p = root.resolve(relative);
        assumeTrue(Files.exists(p), p + " not found (-Dcxrclip.shared / CXRCLIP_SHARED = " + root + ")");
        return p;
    }

    /** CLIP's BPE vocabulary file. */
    public static Path vocabulary() {
        return require(VOCABULARY);
    }
}
