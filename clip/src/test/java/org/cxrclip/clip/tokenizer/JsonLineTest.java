package org.cxrclip.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link JsonLine}: escapes, nesting, and errors that give the column. */
class JsonLineTest {

    @Test
    void readsStringsWithEveryEscape() {
        Map<String, Object> o = JsonLine.parseObject(
                "{\"text\": \"a\\nb\\t\\\"q\\\" \\\\ \\/ \\u00e9 \\ud83d\\ude00 raw é😀\", \"n\": -12, \"x\": 1.5e2}");
        assertEquals("a\nb\t\"q\" \\ / é 😀 raw é😀", o.get("text"));
        assertEquals(-12L, o.get("n"));
        assertEquals(150.0, o.get("x"));
    }

    @Test
    void readsNestedValues() {
        Map<String, Object> o = JsonLine.parseObject(" { \"ids\" : [1, 2 ,3], \"o\": {\"t\": true, \"f\": false},"
                + " \"z\": null, \"e\": [], \"m\": {} } ");
        assertEquals(List.of(1L, 2L, 3L), o.get("ids"));
        assertEquals(Map.of("t", true, "f", false), o.get("o"));
        assertTrue(o.containsKey("z"));
        assertNull(o.get("z"));
        assertEquals(List.of(), o.get("e"));
    }

    @Test
    void malformedInputNamesTheColumn() {
        assertMessage("{\"text\": \"open", "unterminated string");
        assertMessage("{\"text\" \"x\"}", "column 9");
        assertMessage("[1, 2]", "expected a JSON object");
        assertMessage("{\"a\": 1} x", "after the object");
        assertMessage("{\"a\": \"\\q\"}", "unknown escape");
        assertMessage("{\"a\": \"\\u12\"}", "four hex digits");
        assertMessage("{\"a\": tru}", "expected true");
        assertMessage("{\"a\": 1.2.3}", "malformed number");
    }

    @Test
    void deepNestingIsMalformedNotAStackOverflow() {
        // Found by TokenizerFuzzTest: a line of a few hundred '[' overflowed the stack of a pool thread.
        String deep = "{\"text\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertMessage(deep, "nested deeper than 128");
        assertMessage(deep, "column 137");
        String fits = "{\"a\": " + "[".repeat(127) + "]".repeat(127) + "}";
        assertEquals(List.of(), unwrap(JsonLine.parseObject(fits).get("a"), 126));
    }

    private static Object unwrap(Object nested, int levels) {
        Object o = nested;
        for (int i = 0; i < levels; i++) {
            o = ((List<?>) o).get(0);
        }
        return o;
    }

    private static void assertMessage(String line, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonLine.parseObject(line));
        assertTrue(e.getMessage().contains(part), line + " -> " + e.getMessage());
    }
}
