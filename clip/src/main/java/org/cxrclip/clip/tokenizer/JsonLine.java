package org.cxrclip.clip.tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON reader for one line of a JSON-lines file: the tokenizer's input ({@code {"text": ...}} per
 * line) and its golden files. Not a general JSON library: no streaming, values become {@code String},
 * {@code Long} (integers), {@code Double}, {@code Boolean}, {@code null}, {@code List<Object>} and
 * {@code Map<String, Object>} (insertion-ordered). Strings handle every JSON escape, including
 * {@code \}{@code uXXXX} surrogate pairs. Malformed input throws {@link IllegalArgumentException} giving the
 * column; callers add the file and line. Nesting deeper than {@value #MAX_DEPTH} is malformed too: the parser
 * recurses, and a line of ten thousand '[' must be an error, not a StackOverflowError.
 */
public final class JsonLine {
    static final int MAX_DEPTH = 128;
    private final String text;
    private int pos;
    private int depth;

    private JsonLine(String text) {
        this.text = text;
    }

    /** Parses a line holding one JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String line) {
        JsonLine p = new JsonLine(line);
        p.skipSpace();
        if (p.peek() != '{') {
            throw p.error("expected a JSON object '{'");
        }
        Map<String, Object> value = (Map<String, Object>) p.value();
        p.skipSpace();
        if (p.pos < line.length()) {
            throw p.error("unexpected text after the object");
        }
        return value;
    }

    private Object value() {
        skipSpace();
        char c = peek();
        switch (c) {
            case '{':
            case '[':
                if (++depth > MAX_DEPTH) {
                    throw error("nested deeper than " + MAX_DEPTH + " arrays and objects");
                }
                Object nested = c == '{' ? object() : array();
                depth--;
                return nested;
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error(pos >= text.length() ? "unexpected end of line" : "unexpected character '" + c + "'");
        }
    }

    private Map<String, Object> object() {
        pos++;
        Map<String, Object> out = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            return out;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            String key = string();
            skipSpace();
            expect(':');
            out.put(key, value());
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect('}');
                return out;
            }
        }
    }

    private List<Object> array() {
        pos++;
        List<Object> out = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            return out;
        }
        while (true) {
            out.add(value());
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect(']');
                return out;
            }
        }
    }

    private String string() {
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("raw control character U+" + String.format("%04X", (int) c) + " in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(hex4());
                default -> {
                    pos--;
                    throw error("unknown escape '\\" + e + "'");
                }
            }
        }
    }

    /** Four hex digits after {@code \}{@code u}; a surrogate pair arrives as two escapes and is kept as two chars. */
    private char hex4() {
        if (pos + 4 > text.length()) {
            throw error("\\u escape needs four hex digits");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) {
                throw error("\\u escape needs four hex digits");
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        boolean integral = true;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c >= '0' && c <= '9') {
                pos++;
            } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                integral = false;
                pos++;
            } else {
                break;
            }
        }
        String s = text.substring(start, pos);
        try {
            return integral ? (Object) Long.parseLong(s) : (Object) Double.parseDouble(s);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("malformed number '" + s + "'");
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected word; expected " + word);
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("malformed JSON at column " + (pos + 1) + ": " + what);
    }
}
