package org.cxrclip.clip.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.cxrclip.engine.testing.MutationFuzzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of the tokenizer's inputs (see {@link MutationFuzzer}): the text (html entities, surrogates,
 * odd whitespace, markers), a line of the tokenizer's JSON-lines input, and the BPE vocabulary file. Text and JSON
 * errors are IllegalArgumentExceptions that quote the text or give the column; vocabulary errors are IOExceptions
 * naming the file.
 */
class TokenizerFuzzTest {
    private static final Path REPLAY = Path.of("src/test/resources/fuzz/tokenizer");

    @TempDir
    Path dir;

    /** The first input byte picks UTF-8 (malformed bytes become U+FFFD) or UTF-16 (any char, lone surrogates too). */
    @Test
    void textToTokens() {
        SimpleTokenizer tokenizer = SharedVocabulary.tokenizer();
        MutationFuzzer f = MutationFuzzer.named("tokenizer-text");
        for (String s : new String[] {"No acute cardiopulmonary process. Heart size is normal.",
            "&amp;lt;b&amp;gt; &#x1F600; &notit; &#0; &#x110000; &#99999999999; caf\u00e9 \u00df \u0130 \u03a3\u03a3",
            "<|startoftext|>pleural effusion<|endoftext|> it's they'll we'd", "\u00a0\u0085\u2028 \t\r\n mixed   spaces",
            "1234567890 ++-- ... ___ \ud83d\ude00\ud83e\udec1"}) {
            f.seed(tagged(0, s.getBytes(StandardCharsets.UTF_8)), tagged(1, s.getBytes(StandardCharsets.UTF_16BE)));
        }
        f.dictionary("&amp;", "&#", "&#x", ";", "&notit;", "&#0;", "&#xD800;", "&#x110000;", "<|endoftext|>", "'s", "'ll",
                "\u00c2\u00a0", "\u00c3\u009f", "\u00ed\u00a0\u0080", "\u00d8\u0000", "\u00dc\u0000", "\u00f0\u009f\u0098\u0080");
        f.replay(REPLAY.resolve("text")).cases(3000).run(input -> {
            if (input.length == 0) {
                return;
            }
            byte[] body = java.util.Arrays.copyOfRange(input, 1, input.length);
            String text = new String(body, (input[0] & 1) == 0 ? StandardCharsets.UTF_8 : StandardCharsets.UTF_16BE);
            int[] ids = tokenizer.encode(text);
            tokenizer.decode(ids);
            tokenizer.tokenize(text, SimpleTokenizer.CONTEXT_LENGTH, true);
            tokenizer.tokenize(text);
        }, t -> t instanceof IllegalArgumentException && t.getMessage().startsWith("text \""));
    }

    @Test
    void jsonLines() {
        MutationFuzzer.named("json-line")
                .seed(bytes("{\"text\": \"Heart size normal.\", \"id\": 12, \"tags\": [1, 2.5e3, -0, true, null]}"),
                        bytes("{\"text\": \"\\u00e9\\ud83d\\ude00 \\\"quoted\\\" \\n\", \"nested\": {\"a\": [{}, []]}}"),
                        bytes("{\"text\": " + "[".repeat(5000) + "]".repeat(5000) + "}"))
                .dictionary("{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "true", "null", "-", "1e999", "0x1",
                        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "{\"a\":{\"a\":{\"a\":{\"a\":")
                .replay(REPLAY.resolve("json")).cases(3000)
                .run(input -> JsonLine.parseObject(new String(input, StandardCharsets.UTF_8)),
                        t -> t instanceof IllegalArgumentException && t.getMessage().startsWith("malformed JSON at column "));
    }

    /**
     * A vocabulary with CLIP's layout and made-up merges (the real one may not be committed): gzip damage and
     * text damage (the first input byte picks which) must end in an IOException naming the file.
     */
    @Test
    void vocabularyFile() throws IOException {
        byte[] text = syntheticVocabulary();
        Path file = dir.resolve("bpe_simple_vocab_16e6.txt.gz");
        BpeMerges.read(new java.io.ByteArrayInputStream(text), "synthetic");  // the seed itself is valid
        MutationFuzzer.named("vocabulary").seed(tagged(0, gzip(text)), tagged(1, text))
                .dictionary("\n", " ", "  ", "\r\n", "</w>", "\"bpe_simple_vocab_16e6.txt#version: 0.2\n", "\u00ff\u00fe",
                        "\u001f\u008b\u0008\u0000")
                .replay(REPLAY.resolve("vocabulary")).truncations(20).cases(150).run(input -> {
                    if (input.length == 0) {
                        return;
                    }
                    byte[] body = java.util.Arrays.copyOfRange(input, 1, input.length);
                    Files.write(file, (input[0] & 1) == 0 ? body : gzip(body));
                    BpeMerges.load(file);
                }, t -> t instanceof IOException && t.getMessage().contains(file.toString()));
    }

    /** CLIP's header, then 48894 merges of two single-byte tokens each (all distinct), then one unused line. */
    static byte[] syntheticVocabulary() {
        char[] chars = ByteEncoder.charsInVocabOrder();
        StringBuilder sb = new StringBuilder("\"bpe_simple_vocab_16e6.txt#version: 0.2\n");
        for (int r = 0; r < BpeMerges.MERGE_COUNT; r++) {
            sb.append(chars[r / 256]).append(' ').append(chars[r % 256]).append('\n');
        }
        return sb.append("unused line\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] tagged(int tag, byte[] b) {
        byte[] out = new byte[b.length + 1];
        out[0] = (byte) tag;
        System.arraycopy(b, 0, out, 1, b.length);
        return out;
    }
}
