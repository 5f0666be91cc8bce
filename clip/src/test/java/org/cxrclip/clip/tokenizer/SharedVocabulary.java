package org.cxrclip.clip.tokenizer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test access to the shared data: CLIP's BPE vocabulary and the tokenizer goldens in
 * {@code <shared>/data/clip/}, found through {@code -Dcxrclip.shared} or {@code CXRCLIP_SHARED}. Tests that need
 * them are skipped, with the reason, when the shared folder is absent.
 */
final class SharedVocabulary {
    private static SimpleTokenizer tokenizer;

    private SharedVocabulary() {
    }

    static Path file(String name) {
        String shared = System.getProperty("cxrclip.shared", System.getenv("CXRCLIP_SHARED"));
        assumeTrue(shared != null, "no shared data: set -Dcxrclip.shared or CXRCLIP_SHARED to read data/clip/" + name);
        Path file = Path.of(shared, "data", "clip", name);
        assumeTrue(Files.isRegularFile(file), "shared file " + file + " is absent");
        return file;
    }

    static Path vocabulary() {
        return file(VocabularyLocator.FILE_NAME);
    }

    static synchronized SimpleTokenizer tokenizer() {
        if (tokenizer == null) {
            try {
                tokenizer = SimpleTokenizer.load(vocabulary());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tokenizer;
    }
}
