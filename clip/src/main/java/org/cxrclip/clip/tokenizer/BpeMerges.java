package org.cxrclip.clip.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * CLIP's BPE vocabulary and merge table, read from {@code bpe_simple_vocab_16e6.txt.gz}, and the BPE merge loop
 * over one pre-token.
 *
 * <p>Ids (REFERENCE.md §1.5): 0..255 the byte characters in {@link ByteEncoder} order, 256..511 the same with
 * {@code </w>} (end of word), then one token per merge for file lines 1..48894 (line 0 is a header; the file's
 * later lines are not used), then {@code <|startoftext|>} 49406 and {@code <|endoftext|>} 49407. A merge's rank
 * is its line order, so the merge on line {@code r} yields id {@code 511 + r}: the lowest merged id is the
 * lowest rank, which lets the merge loop compare ids instead of looking ranks up. That shortcut needs every
 * merge to produce a distinct string; the load checks it (CLIP's file has no duplicates).
 */
public final class BpeMerges {
    /** Merges used: lines 1..48894 of the file ({@code 49152 - 256 - 2} in OpenAI's code). */
    public static final int MERGE_COUNT = 49152 - 256 - 2;
    public static final int START_OF_TEXT = 256 * 2 + MERGE_COUNT;
    public static final int END_OF_TEXT = START_OF_TEXT + 1;
    public static final int VOCAB_SIZE = END_OF_TEXT + 1;
    static final String END_OF_WORD = "</w>";

    private final String[] tokens;
    private final Map<String, Integer> ids;
    private final PairTable mergedIdOfPair;

    private BpeMerges(String[] tokens, Map<String, Integer> ids, PairTable mergedIdOfPair) {
        this.tokens = tokens;
        this.ids = ids;
        this.mergedIdOfPair = mergedIdOfPair;
    }

    /** Reads the gzipped merges file; errors name the file and the line. */
    public static BpeMerges load(Path gz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
            return read(in, gz.toString());
        } catch (java.util.zip.ZipException e) {
            throw new IOException(gz + ": not a valid gzip file (" + e.getMessage() + "); expected CLIP's "
                    + VocabularyLocator.FILE_NAME, e);
        } catch (java.io.EOFException e) {
            // GZIPInputStream's EOFException has no message, or one that does not name the file.
            throw new IOException(gz + ": gzip data ends early (truncated file?); expected CLIP's "
                    + VocabularyLocator.FILE_NAME, e);
        }
    }

    /** Reads the merges text (already gunzipped); {@code source} names it in errors. */
    static BpeMerges read(InputStream text, String source) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(text, StandardCharsets.UTF_8), 1 << 16);
        String header = reader.readLine();
        if (header == null || !header.startsWith("\"bpe_simple_vocab_16e6.txt#version")) {
            throw new IOException(source + ": line 1 is not the BPE header \"bpe_simple_vocab_16e6.txt#version: 0.2"
                    + " (found " + abbreviate(header) + ")");
        }
        String[] tokens = new String[VOCAB_SIZE];
        char[] byteChars = ByteEncoder.charsInVocabOrder();
        for (int i = 0; i < 256; i++) {
            tokens[i] = String.valueOf(byteChars[i]);
            tokens[256 + i] = byteChars[i] + END_OF_WORD;
        }
        String[][] pairs = new String[MERGE_COUNT][];
        for (int r = 0; r < MERGE_COUNT; r++) {
            String line = reader.readLine();
            int lineNumber = r + 2;
            if (line == null) {
                throw new IOException(source + ": ends at line " + (lineNumber - 1) + "; CLIP's BPE file has "
                        + (MERGE_COUNT + 1) + " or more lines (merges 1.." + MERGE_COUNT + ")");
            }
            int space = line.indexOf(' ');
            if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0) {
                throw new IOException(source + ": line " + lineNumber + " is not a merge \"left right\": "
                        + abbreviate(line));
            }
            pairs[r] = new String[] {line.substring(0, space), line.substring(space + 1)};
            tokens[512 + r] = pairs[r][0] + pairs[r][1];
        }
        tokens[START_OF_TEXT] = "<|startoftext|>";
        tokens[END_OF_TEXT] = "<|endoftext|>";

        Map<String, Integer> ids = new HashMap<>(VOCAB_SIZE * 2);
        for (int id = 0; id < VOCAB_SIZE; id++) {
            Integer previous = ids.put(tokens[id], id);
            if (previous != null) {
                throw new IOException(source + ": token " + abbreviate(tokens[id]) + " (line " + (id - 510)
                        + ") repeats id " + previous + "; not CLIP's BPE vocabulary");
            }
        }
        PairTable table = new PairTable(MERGE_COUNT);
        for (int r = 0; r < MERGE_COUNT; r++) {
            Integer left = ids.get(pairs[r][0]);
            Integer right = ids.get(pairs[r][1]);
            if (left == null || right == null) {
                throw new IOException(source + ": line " + (r + 2) + " merges " + abbreviate(pairs[r][0]) + " and "
                        + abbreviate(pairs[r][1]) + ", which are not both in the vocabulary");
            }
            table.put(left, right, 512 + r);
        }
        return new BpeMerges(tokens, java.util.Collections.unmodifiableMap(ids), table);
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "end of file";
        }
        return "\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
    }

    /** The token string of an id (byte characters, possibly ending in {@code </w>}). */
    public String token(int id) {
        if (id < 0 || id >= VOCAB_SIZE) {
            throw new IllegalArgumentException("token id " + id + " is outside CLIP's vocabulary 0.." + (VOCAB_SIZE - 1));
        }
        return tokens[id];
    }

    /** The id of a token string, or -1 when it is not in the vocabulary. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** The id that merging {@code left} and {@code right} yields, or -1 when that pair is not a merge. */
    public int merge(int left, int right) {
        return mergedIdOfPair.get(left, right);
    }

    /**
     * Runs BPE over one pre-token given as byte characters (non-empty): the last symbol carries {@code </w>};
     * the adjacent pair of lowest rank is merged (every occurrence, left to right) until no pair is a merge.
     */
    public int[] encodeWord(String byteChars) {
        int n = byteChars.length();
        int[] symbols = new int[n];
        for (int i = 0; i < n; i++) {
            int b = ByteEncoder.decode(byteChars.charAt(i));
            if (b < 0) {
                throw new IllegalArgumentException("character U+" + Integer.toHexString(byteChars.charAt(i))
                        + " at " + i + " is not a byte character; encode the word with ByteEncoder first");
            }
            symbols[i] = ByteEncoder.vocabIndex(b);
        }
        symbols[n - 1] += 256;
        while (n > 1) {
            int best = Integer.MAX_VALUE;
            int first = -1;
            int second = -1;
            for (int i = 0; i + 1 < n; i++) {
                int merged = mergedIdOfPair.get(symbols[i], symbols[i + 1]);
                if (merged >= 0 && merged < best) {
                    best = merged;
                    first = symbols[i];
                    second = symbols[i + 1];
                }
            }
            if (first < 0) {
                break;
            }
            int out = 0;
            for (int i = 0; i < n; ) {
                if (i + 1 < n && symbols[i] == first && symbols[i + 1] == second) {
                    symbols[out++] = best;
                    i += 2;
                } else {
                    symbols[out++] = symbols[i++];
                }
            }
            n = out;
        }
        return Arrays.copyOf(symbols, n);
    }

    /** Open-addressing map from a (left id, right id) pair to the merged id; avoids boxing in the merge loop. */
    private static final class PairTable {
        private final long[] keys;
        private final int[] values;
        private final int mask;

        PairTable(int entries) {
            int capacity = Integer.highestOneBit(entries * 2 - 1) << 1;
            keys = new long[capacity];
            Arrays.fill(keys, -1L);
            values = new int[capacity];
            mask = capacity - 1;
        }

        private int slot(long key) {
            return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        }

        void put(int left, int right, int value) {
            long key = ((long) left << 32) | right;
            int i = slot(key);
            while (keys[i] != -1L && keys[i] != key) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = value;
        }

        int get(int left, int right) {
            long key = ((long) left << 32) | right;
            for (int i = slot(key); ; i = (i + 1) & mask) {
                long k = keys[i];
                if (k == key) {
                    return values[i];
                }
                if (k == -1L) {
                    return -1;
                }
            }
        }
    }
}
