package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cxrclip.clip.tokenizer.JsonLine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.cxrclip.engine.testing.SharedData;

/**
 * {@code cxrclip tokenize} in-process: on a file made from the shared golden texts it must print exactly the
 * goldens' {@code ids} (and {@code ids_truncated_77} with {@code --truncate}); bad lines name file and line.
 */
class TokenizeCommandTest {
    private static Path shared;
    private static List<Map<String, Object>> goldens;

    @TempDir
    Path dir;

    @BeforeAll
    static void findSharedData() throws IOException {
        shared = SharedData.require("data/clip/tokenizer-golden.jsonl").getParent();
        goldens = new ArrayList<>();
        for (String line : Files.readAllLines(shared.resolve("tokenizer-golden.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                goldens.add(JsonLine.parseObject(line));
            }
        }
    }

    record Result(int exitCode, List<String> out, String err) {
    }

    private static Result run(String... args) {
        CommandRun r = CommandRun.of(args);
        return new Result(r.code(), r.out().lines().toList(), r.err());
    }

    private Path goldenInput() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < goldens.size(); i++) {
            lines.add("{\"id\": " + i + ", \"text\": " + quote((String) goldens.get(i).get("text")) + ", \"x\": [1]}");
            if (i == 3) {
                lines.add("   ");
            }
        }
        return Files.write(dir.resolve("texts.jsonl"), lines, StandardCharsets.UTF_8);
    }

    /** JSON string with every non-ASCII character as \\uXXXX (emoji as a surrogate pair), to exercise the reader. */
    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                default -> q.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return q.append('"').toString();
    }

    private static List<String> expected(String field) {
        return goldens.stream().map(g -> String.valueOf(g.getOrDefault(field, g.get("ids")))).toList();
    }

    @Test
    void printsTheGoldenIdsForEveryText() throws IOException {
        Result r = run("tokenize", "--jsonl", goldenInput().toString(), "--vocab",
                shared.resolve("bpe_simple_vocab_16e6.txt.gz").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(expected("ids"), r.out());
        assertTrue(r.err().contains("texts.jsonl:36: 78 ids exceed --context 77"), r.err()); // line 36: a blank line follows the 4th text
    }

    @Test
    void truncatePrintsTheTruncatedGoldens() throws IOException {
        Result r = run("tokenize", "--truncate", "--jsonl", goldenInput().toString(), "--vocab",
                shared.resolve("bpe_simple_vocab_16e6.txt.gz").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(expected("ids_truncated_77"), r.out());
        assertEquals("", r.err());
        Result short5 = run("tokenize", "--truncate", "--context", "5", "--jsonl", goldenInput().toString(),
                "--vocab", shared.resolve("bpe_simple_vocab_16e6.txt.gz").toString());
        assertEquals("[49406, 871, 19734, 6211, 49407]", short5.out().get(0));
    }

    @Test
    void malformedLineNamesFileAndLine() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.jsonl"), "{\"text\": \"a dog\"}\n\n{\"text\": \"open\n");
        Result r = run("tokenize", "--jsonl", file.toString(), "--vocab",
                shared.resolve("bpe_simple_vocab_16e6.txt.gz").toString());
        assertEquals(1, r.exitCode());
        assertEquals(List.of("[49406, 320, 1929, 49407]"), r.out());
        assertTrue(r.err().contains(file + ":3: malformed JSON"), r.err());

        Path noText = Files.writeString(dir.resolve("notext.jsonl"), "{\"txt\": \"a dog\"}\n");
        Result r2 = run("tokenize", "--jsonl", noText.toString(), "--vocab",
                shared.resolve("bpe_simple_vocab_16e6.txt.gz").toString());
        assertEquals(1, r2.exitCode());
        assertTrue(r2.err().contains(noText + ":1: no field \"text\""), r2.err());
    }

    @Test
    void bytesThatAreNotUtf8NameFileAndLine() throws IOException {
        // Line 3 holds 0xC3 0x28: 0xC3 opens a two-byte sequence that '(' cannot continue.
        byte[] good = "{\"text\": \"a dog\"}\n\n{\"text\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] content = java.util.Arrays.copyOf(good, good.length + 4);
        content[good.length] = (byte) 0xC3;
        content[good.length + 1] = 0x28;
        content[good.length + 2] = '"';
        content[good.length + 3] = '}';
        Path file = Files.write(dir.resolve("latin1.jsonl"), content);
        Result r = run("tokenize", "--jsonl", file.toString(), "--vocab",
                shared.resolve("bpe_simple_vocab_16e6.txt.gz").toString());
        assertEquals(1, r.exitCode());
        assertEquals(List.of("[49406, 320, 1929, 49407]"), r.out()); // line 1 was printed before the error
        assertTrue(r.err().contains(file.toString()) && r.err().contains("line 3"), r.err());
        assertTrue(r.err().contains(file + ":3: not UTF-8 text (malformed byte 0xC3 at byte 11 of line 3)"), r.err());
    }

    @Test
    void wrongVocabularyIsRefused() throws IOException {
        Path fake = Files.writeString(dir.resolve("bpe_simple_vocab_16e6.txt.gz"), "not it");
        Path file = Files.writeString(dir.resolve("t.jsonl"), "{\"text\": \"a dog\"}\n");
        Result r = run("tokenize", "--jsonl", file.toString(), "--vocab", fake.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains(fake + " (from the given path) has sha256"), r.err());
        assertEquals(List.of(), r.out());
    }
}
