package org.cxrclip.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /**
     * Found by TokenizerFuzzTest: a truncated gzip ended in an EOFException with no message at all, and a vocabulary
     * whose tokens share hash codes took seconds to load (Map.copyOf probes linearly; a HashMap bin becomes a tree).
     */
    @Test
    void truncatedGzipNamesTheFileAndCollidingTokensLoadCorrectly(@TempDir Path dir) throws IOException {
        byte[] text = TokenizerFuzzTest.syntheticVocabulary();
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write(text);
        }
        Path file = dir.resolve("bpe_simple_vocab_16e6.txt.gz");
        for (int cut : new int[] {5, gz.size() / 2}) {
            Files.write(file, java.util.Arrays.copyOf(gz.toByteArray(), cut));
            IOException e = assertThrows(IOException.class, () -> BpeMerges.load(file));
            assertTrue(e.getMessage().startsWith(file + ": gzip data ends early"), cut + ": " + e.getMessage());
        }
        Files.write(file, gz.toByteArray());
        BpeMerges m = BpeMerges.load(file);
        char[] c = ByteEncoder.charsInVocabOrder();
        // Merge r joins byte characters r / 256 and r % 256 and yields id 512 + r.
        assertEquals(512 + 300, m.id("" + c[1] + c[44]));
        assertEquals(512 + 300, m.merge(1, 44));
        assertArrayEquals(new int[] {512 + 300, 256 + 7}, m.encodeWord("" + c[1] + c[44] + c[7]));
    }

    private static BpeMerges read(String text) throws IOException {
        return BpeMerges.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.txt");
    }
}
