package org.cxrclip.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link HtmlEntities} and {@link TextCleaner} against Python's {@code html.unescape} and CLIP's cleanup
 * ({@code text-cleanup-golden.jsonl}, made by {@code make_text_goldens.py} beside it), plus hand cases.
 */
class TextCleanerTest {

    @Test
    void matchesPythonOnEveryGoldenLine() throws IOException {
        int count = 0;
        try (InputStream in = getClass().getResourceAsStream("text-cleanup-golden.jsonl")) {
            assertNotNull(in, "text-cleanup-golden.jsonl is on the test classpath");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                Map<String, Object> o = JsonLine.parseObject(line);
                String text = (String) o.get("text");
                String once = HtmlEntities.unescape(text);
                assertEquals(o.get("once"), once, "html.unescape once: " + line);
                assertEquals(o.get("twice"), HtmlEntities.unescape(once), "html.unescape twice: " + line);
                assertEquals(o.get("clean"), TextCleaner.clean(text), "cleanup: " + line);
                count++;
            }
        }
        assertEquals(44, count, "golden lines");
    }

    @Test
    void handCases() {
        assertEquals("&amp;", HtmlEntities.unescape("&amp;amp;"));
        assertEquals("&", TextCleaner.clean("&amp;amp;"), "two passes undo double escaping");
        assertEquals("&amp;", TextCleaner.clean("&amp;amp;amp;"), "but not triple");
        assertEquals("<b> \"x\" 'y'", HtmlEntities.unescape("&lt;b&gt; &quot;x&quot; &apos;y&apos;"));
        assertEquals("a\u00a0b", HtmlEntities.unescape("a&nbsp;b"));
        assertEquals("a b", TextCleaner.clean("  a&nbsp;&nbsp;B \t"), "no-break spaces are whitespace to Python");
        assertEquals("AB\u20ac\ud83d\ude00", HtmlEntities.unescape("&#65;&#x42;&#128;&#x1F600;"));
        assertEquals("\u00ac" + "it;", HtmlEntities.unescape("&notit;"), "longest known prefix, rest kept");
        assertEquals("&bogus; & x", HtmlEntities.unescape("&bogus; & x"));
        assertEquals("x y", TextCleaner.clean("x\u001cy"), "U+001C is str.isspace in Python");
    }
}
