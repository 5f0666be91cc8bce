package org.cxrclip.clip.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's text tokenizer: a port of OpenAI's {@code simple_tokenizer.py} and {@code clip.tokenize}
 * (REFERENCE.md §1.5), id for id.
 *
 * <p>Text is cleaned ({@link TextCleaner}: html-unescape twice, whitespace collapsed, lower-cased), split by the
 * pre-tokenizer pattern (the two special tokens, English contractions, runs of letters, single digits, runs of
 * other non-space characters), and each piece's UTF-8 bytes go through byte-level BPE ({@link BpeMerges}).
 * {@link #tokenize} adds {@code <|startoftext|>} and {@code <|endoftext|>} and zero-pads to the context length.
 *
 * <p>Not ported: {@code ftfy.fix_text} (no Java port exists), so mojibake and similar damage are not repaired;
 * ASCII and well-formed Unicode text give identical ids. Text with an unpaired surrogate is rejected, as
 * Python's UTF-8 encoding rejects it. Instances are immutable apart from a bounded, thread-safe cache of
 * word → ids, so one tokenizer can serve many threads.
 */
public final class SimpleTokenizer {
    public static final int START_OF_TEXT = BpeMerges.START_OF_TEXT;
    public static final int END_OF_TEXT = BpeMerges.END_OF_TEXT;
    /** CLIP's text context: 77 positions including both markers. */
    public static final int CONTEXT_LENGTH = 77;

    private static final Pattern PRE_TOKEN = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    /** Words cached; once full, new words are encoded each time, so a stream of unique words cannot grow memory. */
    private static final int CACHE_LIMIT = 200_000;
    private static final int PREVIEW_CHARS = 50;

    private final BpeMerges merges;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    public SimpleTokenizer(BpeMerges merges) {
        this.merges = merges;
        cache.put("<|startoftext|>", new int[] {START_OF_TEXT});
        cache.put("<|endoftext|>", new int[] {END_OF_TEXT});
    }

    /** Loads the vocabulary from a {@code bpe_simple_vocab_16e6.txt.gz} (see {@link VocabularyLocator}). */
    public static SimpleTokenizer load(Path bpeGz) throws IOException {
        return new SimpleTokenizer(BpeMerges.load(bpeGz));
    }

    public BpeMerges merges() {
        return merges;
    }

    /** The BPE ids of {@code text}, without start/end markers or padding. */
    public int[] encode(String text) {
        String cleaned = TextCleaner.clean(text);
        rejectUnpairedSurrogate(text, cleaned);
        int[] ids = new int[Math.max(8, cleaned.length())];
        int count = 0;
        Matcher m = PRE_TOKEN.matcher(cleaned);
        while (m.find()) {
            int[] word = encodeWord(m.group());
            if (count + word.length > ids.length) {
                ids = Arrays.copyOf(ids, Math.max(ids.length * 2, count + word.length));
            }
            System.arraycopy(word, 0, ids, count, word.length);
            count += word.length;
        }
        return Arrays.copyOf(ids, count);
    }

    private int[] encodeWord(String word) {
        int[] cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        int[] ids = merges.encodeWord(ByteEncoder.encode(word.getBytes(StandardCharsets.UTF_8)));
        if (cache.size() < CACHE_LIMIT) {
            cache.putIfAbsent(word, ids);
        }
        return ids;
    }

    /** {@code <|startoftext|>}, the ids of {@code text}, {@code <|endoftext|>}; no padding, no length limit. */
    public int[] encodeWithMarkers(String text) {
        int[] ids = encode(text);
        int[] out = new int[ids.length + 2];
        out[0] = START_OF_TEXT;
        System.arraycopy(ids, 0, out, 1, ids.length);
        out[out.length - 1] = END_OF_TEXT;
        return out;
    }

    /** Text from ids: bytes decoded as UTF-8 (malformed sequences become U+FFFD), each {@code </w>} a space. */
    public String decode(int[] ids) {
        byte[] bytes = new byte[ids.length * 4];
        int count = 0;
        for (int id : ids) {
            String token = merges.token(id);
            if (count + token.length() > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + token.length()));
            }
            for (int i = 0; i < token.length(); i++) {
                bytes[count++] = (byte) ByteEncoder.decode(token.charAt(i));
            }
        }
        return new String(bytes, 0, count, StandardCharsets.UTF_8).replace(BpeMerges.END_OF_WORD, " ");
    }

    /** {@link #tokenize(String, int, boolean)} with CLIP's context of 77 and no truncation. */
    public int[] tokenize(String text) {
        return tokenize(text, CONTEXT_LENGTH, false);
    }

    /**
     * {@code clip.tokenize} for one text: start marker, ids, end marker, zero-padded to {@code contextLength}.
     * Longer texts are an error, or with {@code truncate} keep the first {@code contextLength} ids with the last
     * overwritten by the end marker (what CheXzero's training does).
     */
    public int[] tokenize(String text, int contextLength, boolean truncate) {
        if (contextLength < 1) {
            throw new IllegalArgumentException("context length must be >= 1, got " + contextLength);
        }
        int[] ids = encodeWithMarkers(text);
        if (ids.length > contextLength && !truncate) {
            throw new IllegalArgumentException("text \"" + preview(text) + "\" (" + text.length() + " characters) is "
                    + ids.length + " tokens long with its start and end markers, more than the context length "
                    + contextLength + "; shorten it or truncate");
        }
        return Arrays.copyOf(truncated(ids, contextLength), contextLength);
    }

    /** {@link #tokenize(String, int, boolean)} for each text: rows of {@code contextLength} ids. */
    public int[][] tokenize(List<String> texts, int contextLength, boolean truncate) {
        int[][] out = new int[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = tokenize(texts.get(i), contextLength, truncate);
        }
        return out;
    }

    /** The first {@code contextLength} ids with the last set to the end marker, or {@code ids} when they fit. */
    public static int[] truncated(int[] ids, int contextLength) {
        if (ids.length <= contextLength) {
            return ids;
        }
        int[] out = Arrays.copyOf(ids, contextLength);
        out[contextLength - 1] = END_OF_TEXT;
        return out;
    }

    private static String preview(String text) {
        return text.length() <= PREVIEW_CHARS ? text : text.substring(0, PREVIEW_CHARS) + "…";
    }

    private static void rejectUnpairedSurrogate(String original, String cleaned) {
        for (int i = 0; i < cleaned.length(); i++) {
            char c = cleaned.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < cleaned.length()
                    && Character.isLowSurrogate(cleaned.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("text \"" + preview(original) + "\" holds an unpaired surrogate"
                        + " U+" + Integer.toHexString(c).toUpperCase() + ", which is not Unicode text");
            }
        }
    }
}
