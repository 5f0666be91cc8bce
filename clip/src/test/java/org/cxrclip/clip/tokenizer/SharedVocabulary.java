package org.cxrclip.clip.tokenizer;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.cxrclip.engine.testing.SharedData;

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
        return SharedData.require("data/clip/" + name);
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
