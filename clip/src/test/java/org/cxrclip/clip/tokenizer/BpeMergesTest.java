package org.cxrclip.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The vocabulary layout of REFERENCE.md §1.5 on the real file, and load errors on small broken ones. */
class BpeMergesTest {

    @Test
    void vocabularyLayoutMatchesReference() {
        BpeMerges m = SharedVocabulary.tokenizer().merges();
        assertEquals(49408, BpeMerges.VOCAB_SIZE);
        assertEquals("!", m.token(0));
        assertEquals("!</w>", m.token(256));
        assertEquals("\u0100</w>", m.token(256 + 188));
        assertEquals("jekyll</w>", m.token(49405), "the last merge used is 'jeky ll</w>'");
        assertEquals("<|startoftext|>", m.token(49406));
        assertEquals("<|endoftext|>", m.token(49407));
        assertEquals(-1, m.id("habib</w>"), "merges after line 48894 are not in the vocabulary");
        assertEquals(28669, m.id("aden"));
        assertEquals(28466, m.id("opathy</w>"));
        assertEquals(49405, m.merge(m.id("jeky"), m.id("ll</w>")));
        assertEquals(-1, m.merge(m.id("ha"), m.id("bib</w>")));
        assertArrayEquals(new int[] {926, 33948}, m.encodeWord("pleural"));
        assertArrayEquals(new int[] {320}, m.encodeWord("a"), "a single byte is byte+</w>");
    }

    @Test
    void loadErrorsNameTheSourceAndLine() {
        IOException header = assertThrows(IOException.class, () -> read("not a header\na b\n"));
        assertTrue(header.getMessage().startsWith("test.txt: line 1"), header.getMessage());
        IOException badLine = assertThrows(IOException.class,
                () -> read("\"bpe_simple_vocab_16e6.txt#version: 0.2\ni n\nthree parts here\n"));
        assertTrue(badLine.getMessage().contains("test.txt: line 3"), badLine.getMessage());
        IOException shortFile = assertThrows(IOException.class,
                () -> read("\"bpe_simple_vocab_16e6.txt#version: 0.2\ni n\n"));
        assertTrue(shortFile.getMessage().contains("ends at line 2"), shortFile.getMessage());
    }

    private static BpeMerges read(String text) throws IOException {
        return BpeMerges.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.txt");
    }
}
