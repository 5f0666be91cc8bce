package org.cxrclip.clip.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code html.unescape}, which CLIP's tokenizer applies twice to every text.
 *
 * <p>Follows CPython 3.11 {@code Lib/html/__init__.py} rule for rule: the same reference pattern; named references
 * from the full HTML5 table ({@code html5-entities.tsv}, generated from Python's {@code html.entities.html5}),
 * including the legacy names without ';' and the longest-prefix rule for unknown names ({@code &notit;} →
 * "¬it;"); numeric references with the windows-1252 substitutions for 0x80..0x9F, U+FFFD for 0, surrogates
 * and values above U+10FFFF, and nothing for the control and non-character code points HTML forbids.
 */
public final class HtmlEntities {
    private static final Pattern REFERENCE =
            Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
    private static final String[] WINDOWS_1252_C1 = {
        "\u20ac", "\u0081", "\u201a", "\u0192", "\u201e", "\u2026", "\u2020", "\u2021",
        "\u02c6", "\u2030", "\u0160", "\u2039", "\u0152", "\u008d", "\u017d", "\u008f",
        "\u0090", "\u2018", "\u2019", "\u201c", "\u201d", "\u2022", "\u2013", "\u2014",
        "\u02dc", "\u2122", "\u0161", "\u203a", "\u0153", "\u009d", "\u017e", "\u0178"};

    private HtmlEntities() {
    }

    /** Replaces every character reference in {@code text} as Python's {@code html.unescape} does. */
    public static String unescape(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        while (m.find()) {
            out.append(text, last, m.start()).append(replace(m.group(1)));
            last = m.end();
        }
        return out.append(text, last, text.length()).toString();
    }

    private static String replace(String ref) {
        if (ref.charAt(0) == '#') {
            boolean hex = ref.charAt(1) == 'x' || ref.charAt(1) == 'X';
            String digits = ref.substring(hex ? 2 : 1, ref.endsWith(";") ? ref.length() - 1 : ref.length());
            return numeric(parseCodePoint(digits, hex ? 16 : 10));
        }
        Map<String, String> named = Named.TABLE;
        String exact = named.get(ref);
        if (exact != null) {
            return exact;
        }
        for (int length = ref.length() - 1; length > 1; length--) {
            String prefix = named.get(ref.substring(0, length));
            if (prefix != null) {
                return prefix + ref.substring(length);
            }
        }
        return "&" + ref;
    }

    /** The value of the digits, or Long.MAX_VALUE when it exceeds every code point (Python has big ints). */
    private static long parseCodePoint(String digits, int radix) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        return significant.length() > 8 ? Long.MAX_VALUE : Long.parseLong(significant, radix);
    }

    private static String numeric(long cp) {
        if (cp == 0) {
            return "\ufffd";
        }
        if (cp == 0x0d) {
            return "\r";
        }
        if (cp >= 0x80 && cp <= 0x9f) {
            return WINDOWS_1252_C1[(int) cp - 0x80];
        }
        if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            return "\ufffd";
        }
        if (isForbidden((int) cp)) {
            return "";
        }
        return Character.toString((int) cp);
    }

    /** Python's {@code _invalid_codepoints}: C0/C1 controls except whitespace, U+FDD0..FDEF, U+xFFFE/U+xFFFF. */
    private static boolean isForbidden(int cp) {
        return (cp >= 0x1 && cp <= 0x8) || cp == 0xb || (cp >= 0xe && cp <= 0x1f) || (cp >= 0x7f && cp <= 0x9f)
                || (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
    }

    /** The HTML5 named references, loaded on first use. */
    private static final class Named {
        static final Map<String, String> TABLE = load();

        private static Map<String, String> load() {
            String resource = "html5-entities.tsv";
            try (InputStream in = HtmlEntities.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + resource + " is missing from the cxrclip-clip jar");
                }
                Map<String, String> table = new HashMap<>(4096);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
                for (String line; (line = reader.readLine()) != null; ) {
                    int tab = line.indexOf('\t');
                    StringBuilder value = new StringBuilder(2);
                    for (String hex : line.substring(tab + 1).split(" ")) {
                        value.appendCodePoint(Integer.parseInt(hex, 16));
                    }
                    table.put(line.substring(0, tab), value.toString());
                }
                return Map.copyOf(table);
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + resource, e);
            }
        }
    }
}
