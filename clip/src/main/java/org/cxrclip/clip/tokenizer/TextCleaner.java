package org.cxrclip.clip.tokenizer;

import java.util.Locale;

/**
 * The text cleanup CLIP's tokenizer applies before splitting: {@code basic_clean} (html-unescape twice, strip),
 * {@code whitespace_clean} (every run of whitespace becomes one space, strip) and lower-casing.
 *
 * <p>"Whitespace" is Python's {@code str.isspace}, which {@code re}'s {@code \s} and {@code str.strip} use: it
 * includes U+001C..U+001F and the no-break spaces, unlike Java's {@code Character.isWhitespace} and
 * {@code String.strip}, so the set is spelled out here. Lower-casing is {@code toLowerCase(Locale.ROOT)}, which
 * like Python's {@code str.lower} applies the full (multi-character, final-sigma) Unicode mappings.
 *
 * <p>OpenAI's tokenizer first runs {@code ftfy.fix_text}, which has no Java port; we skip it, so mojibake
 * ("cafÃ©") and other encoding damage are not repaired. ASCII and well-formed Unicode text come out the same.
 */
public final class TextCleaner {
    private TextCleaner() {
    }

    /** {@code whitespace_clean(basic_clean(text)).lower()} without ftfy. */
    public static String clean(String text) {
        String unescaped = HtmlEntities.unescape(HtmlEntities.unescape(text));
        return collapseWhitespace(unescaped).toLowerCase(Locale.ROOT);
    }

    /** Runs of whitespace become one space; leading and trailing whitespace is dropped. */
    static String collapseWhitespace(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean pendingSpace = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isPythonSpace(c)) {
                pendingSpace = out.length() > 0;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Python's {@code str.isspace} (all such characters are in the BMP). */
    static boolean isPythonSpace(char c) {
        return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f
                || c == 0x3000;
    }
}
