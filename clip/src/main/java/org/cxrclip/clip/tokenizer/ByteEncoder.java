package org.cxrclip.clip.tokenizer;

/**
 * CLIP's reversible byte ↔ character table ({@code bytes_to_unicode} in OpenAI's {@code simple_tokenizer.py}).
 *
 * <p>BPE works on strings, and a UTF-8 byte sequence must become a string without whitespace or control
 * characters that the merges file could not hold. The 188 printable bytes 33..126, 161..172 and 174..255 stand
 * for themselves; the other 68 map, in increasing byte order, to U+0100 onward. The order of that byte list is
 * also the order of the first 256 vocabulary ids (id 0 is "!"), so {@link #vocabIndex} doubles as the id of a
 * single-byte token. Every character produced lies in the BMP (at most U+0143), so one Java char is one symbol.
 */
public final class ByteEncoder {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] BYTE_TO_INDEX = new int[256];
    private static final int[] CHAR_TO_BYTE = new int[256 + 68];
    private static final char[] CHARS_IN_VOCAB_ORDER = new char[256];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int index = 0;
        for (int b = 0; b < 256; b++) {
            if (printsAsItself(b)) {
                put(b, (char) b, index++);
            }
        }
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            if (!printsAsItself(b)) {
                put(b, (char) (256 + extra++), index++);
            }
        }
    }

    private ByteEncoder() {
    }

    private static boolean printsAsItself(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    private static void put(int b, char c, int index) {
        BYTE_TO_CHAR[b] = c;
        BYTE_TO_INDEX[b] = index;
        CHAR_TO_BYTE[c] = b;
        CHARS_IN_VOCAB_ORDER[index] = c;
    }

    /** The character that stands for byte {@code b} (0..255). */
    public static char encode(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte a character stands for, or -1 when {@code c} is not one of the 256 byte characters. */
    public static int decode(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** Position of byte {@code b} in the table's order: the vocabulary id of its single-character token. */
    public static int vocabIndex(int b) {
        return BYTE_TO_INDEX[b & 0xFF];
    }

    /** The byte characters in vocabulary order (a copy). */
    public static char[] charsInVocabOrder() {
        return CHARS_IN_VOCAB_ORDER.clone();
    }

    /** Maps every byte of {@code utf8} to its character. */
    public static String encode(byte[] utf8) {
        char[] out = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
            out[i] = BYTE_TO_CHAR[utf8[i] & 0xFF];
        }
        return new String(out);
    }
}
