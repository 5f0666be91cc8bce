package org.cxrclip.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Utf8LineReader against the JDK's BufferedReader on valid UTF-8 (the same lines, whatever the terminators and
 * however the buffer cuts multi-byte characters), and on bytes that are not UTF-8 the line and byte it names.
 */
class Utf8LineReaderTest {
    @TempDir
    Path dir;

    private static List<String> readAll(Path file, int bufferSize) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Utf8LineReader r = new Utf8LineReader(file, bufferSize)) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
                assertEquals(lines.size(), r.lineNumber());
            }
            assertNull(r.readLine());
        }
        return lines;
    }

    private static List<String> jdkLines(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) lines.add(line);
        }
        return lines;
    }

    @Test
    void sameLinesAsBufferedReaderOnValidText() throws IOException {
        String[] pieces = {"a", "pleural effusion", "caf\u00e9", "\u00df\u03a3", "\u20ac", "\ud83d\ude00", " ", "\t",
            "\n", "\r\n", "\r", "\n\n", "\r\r\n", "\ufeff", "\u0000"};
        Random random = new Random(7);
        for (int file = 0; file < 40; file++) {
            StringBuilder text = new StringBuilder();
            int n = random.nextInt(60);
            for (int i = 0; i < n; i++) text.append(pieces[random.nextInt(pieces.length)]);
            if (file % 5 == 0) text.append("x".repeat(300)).append("\u00e9\n");  // longer than the line's first array
            Path f = Files.writeString(dir.resolve("t" + file + ".txt"), text);
            List<String> expected = jdkLines(f);
            for (int size : new int[] {1, 2, 3, 7, 1 << 16})
                assertEquals(expected, readAll(f, size), "file " + file + ", buffer " + size + ": " + text);
        }
        assertEquals(List.of(), readAll(Files.writeString(dir.resolve("empty.txt"), ""), 4));
    }

    private Utf8LineReader.NotUtf8Exception badAt(byte[] content, int expectedGoodLines) throws IOException {
        Path f = Files.write(dir.resolve("bad.jsonl"), content);
        try (Utf8LineReader r = new Utf8LineReader(f, 3)) {
            for (int i = 0; i < expectedGoodLines; i++) r.readLine();
            var e = assertThrows(Utf8LineReader.NotUtf8Exception.class, r::readLine);
            assertEquals(expectedGoodLines + 1, r.lineNumber());
            assertEquals(expectedGoodLines + 1, e.line());
            assertTrue(e.getMessage().startsWith(f + ":" + e.line() + ": not UTF-8 text"), e.getMessage());
            return e;
        }
    }

    private static byte[] concat(String before, int[] bad, String after) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        for (int x : bad) b.write(x);
        b.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    @Test
    void badBytesNameTheirLineAndByte() throws IOException {
        // 0xC3 starts a 2-byte sequence but 0x28 '(' is no continuation byte: the malformed part is 0xC3 alone.
        var e = badAt(concat("{\"text\": \"caf\u00e9\"}\r\n\n{\"text\": \"", new int[] {0xC3, 0x28}, "\"}\n"), 2);
        assertTrue(e.getMessage().endsWith("(malformed byte 0xC3 at byte 11 of line 3)"), e.getMessage());
        // A lone continuation byte, after a lone-\r line end.
        e = badAt(concat("ok\rx", new int[] {0x80}, "\n"), 1);
        assertTrue(e.getMessage().endsWith("(malformed byte 0x80 at byte 2 of line 2)"), e.getMessage());
        // A 3-byte sequence cut short by the end of the file.
        e = badAt(concat("one\ntwo\n\u20ac", new int[] {0xE2, 0x82}, ""), 2);
        assertTrue(e.getMessage().endsWith("(malformed bytes 0xE2 0x82 at byte 4 of line 3)"), e.getMessage());
        // A UTF-16 surrogate encoded in UTF-8 (CESU-8), not UTF-8.
        e = badAt(concat("", new int[] {0xED, 0xA0, 0x80}, "\n"), 0);
        assertTrue(e.getMessage().contains("at byte 1 of line 1"), e.getMessage());
    }
}
