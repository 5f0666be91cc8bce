package org.cxrclip.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every line of {@code tokenizer-golden.jsonl} (ids from OpenAI's own simple_tokenizer.py) and the hand
 * vectors of REFERENCE.md §1.5, through encode, tokenize and truncation.
 */
class SimpleTokenizerGoldenTest {

    record Golden(int line, String text, int[] ids, int[] truncated77) {
    }

    static List<Golden> goldens() throws IOException {
        List<String> lines = Files.readAllLines(SharedVocabulary.file("tokenizer-golden.jsonl"), StandardCharsets.UTF_8);
        List<Golden> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            Map<String, Object> o = JsonLine.parseObject(lines.get(i));
            out.add(new Golden(i + 1, (String) o.get("text"), ints(o.get("ids")),
                    o.containsKey("ids_truncated_77") ? ints(o.get("ids_truncated_77")) : null));
        }
        return out;
    }

    static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(v -> ((Long) v).intValue()).toArray();
    }

    @Test
    void reproducesEveryGoldenLine() throws IOException {
        SimpleTokenizer tok = SharedVocabulary.tokenizer();
        List<Golden> goldens = goldens();
        assertEquals(35, goldens.size(), "the shared README promises 35 golden lines");
        int longOnes = 0;
        for (Golden g : goldens) {
            String where = "golden line " + g.line() + " \"" + g.text() + "\"";
            assertArrayEquals(g.ids(), tok.encodeWithMarkers(g.text()), where);
            int[] expected77 = g.truncated77() != null ? g.truncated77() : g.ids();
            assertArrayEquals(expected77, SimpleTokenizer.truncated(g.ids(), 77), where);
            int[] padded = tok.tokenize(g.text(), 77, true);
            assertArrayEquals(Arrays.copyOf(expected77, 77), padded, where);
            if (g.ids().length > 77) {
                longOnes++;
                assertThrows(IllegalArgumentException.class, () -> tok.tokenize(g.text()), where);
            } else {
                assertArrayEquals(padded, tok.tokenize(g.text()), where);
            }
        }
        assertEquals(1, longOnes, "the golden file holds one text of 78 ids");
        System.out.println("SimpleTokenizerGoldenTest: " + goldens.size() + " golden lines reproduced, " + longOnes
                + " of them truncated");
    }

    @Test
    void batchTokenizeGivesOneRowPerText() throws IOException {
        SimpleTokenizer tok = SharedVocabulary.tokenizer();
        List<Golden> goldens = goldens();
        int[][] rows = tok.tokenize(goldens.stream().map(Golden::text).toList(), 77, true);
        assertEquals(goldens.size(), rows.length);
        for (int i = 0; i < rows.length; i++) {
            assertArrayEquals(tok.tokenize(goldens.get(i).text(), 77, true), rows[i]);
        }
    }

    @Test
    void handVectorsFromReference() {
        SimpleTokenizer tok = SharedVocabulary.tokenizer();
        Map<String, int[]> vectors = Map.ofEntries(
                Map.entry("a diagram", new int[] {49406, 320, 22697, 49407}),
                Map.entry("a dog", new int[] {49406, 320, 1929, 49407}),
                Map.entry("a cat", new int[] {49406, 320, 2368, 49407}),
                Map.entry("adenopathy is present, pulmonary effusion is present",
                        new int[] {49406, 28669, 28466, 533, 2881, 267, 39132, 1490, 9364, 533, 2881, 49407}),
                Map.entry("no pleural effusion", new int[] {49406, 871, 926, 33948, 1490, 9364, 49407}),
                Map.entry("Pleural Effusion", new int[] {49406, 926, 33948, 1490, 9364, 49407}),
                Map.entry("Impression: ", new int[] {49406, 14468, 281, 49407}),
                Map.entry("FINDINGS:", new int[] {49406, 16529, 281, 49407}),
                Map.entry("Round(ed) Atelectasis", new int[] {49406, 2522, 263, 538, 264, 992, 944, 6538, 533, 49407}),
                Map.entry("hello   world 2024 ___", new int[] {49406, 3306, 1002, 273, 271, 273, 275, 13530, 49407}));
        vectors.forEach((text, ids) -> {
            int[] padded = Arrays.copyOf(ids, 77);
            assertArrayEquals(padded, tok.tokenize(text), text);
        });
    }

    @Test
    void tooLongTextNamesItselfAndItsLength() {
        SimpleTokenizer tok = SharedVocabulary.tokenizer();
        String text = "Effusion ".repeat(40);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tok.tokenize(text, 77, false));
        assertTrue(e.getMessage().contains("\"Effusion Effusion"), e.getMessage());
        assertTrue(e.getMessage().contains(text.length() + " characters"), e.getMessage());
        assertTrue(e.getMessage().contains("82 tokens"), e.getMessage());
        int[] cut = tok.tokenize(text, 77, true);
        assertEquals(77, cut.length);
        assertEquals(49406, cut[0]);
        assertEquals(49407, cut[76]);
        assertEquals(1490, cut[75], "ef+fusion pairs fill positions 1..75 and the 75th is 'ef'");
        assertArrayEquals(new int[] {49406, 49407, 0}, tok.tokenize("", 3, false));
        assertArrayEquals(new int[] {49406, 49407}, tok.tokenize("a dog", 2, true));
        assertThrows(IllegalArgumentException.class, () -> tok.tokenize("a", 0, true));
    }

    @Test
    void unpairedSurrogateIsRejectedLikePythonsUtf8Encoder() {
        SimpleTokenizer tok = SharedVocabulary.tokenizer();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tok.encode("bad \ud800 x"));
        assertTrue(e.getMessage().contains("U+D800"), e.getMessage());
        assertArrayEquals(new int[] {7334}, tok.encode("\ud83d\ude00"), "a proper pair is one emoji token");
    }

    @Test
    void decodeRestoresWordsWithTrailingSpaces() {
        SimpleTokenizer tok = SharedVocabulary.tokenizer();
        assertEquals("no pleural effusion ", tok.decode(tok.encode("No  Pleural\tEffusion")));
        assertEquals("<|startoftext|>a dog <|endoftext|>", tok.decode(new int[] {49406, 320, 1929, 49407}));
        assertEquals("sjögren ", tok.decode(tok.encode("Sjögren")));
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {49408}));
    }
}
