package org.cxrclip.train.trainer;

import java.util.Locale;
import java.util.Map;

/**
 * The few flat JSON objects the trainer writes (metrics lines, state.json): numbers, booleans and strings only,
 * so a hand-written encoder avoids a runtime dependency. Non-finite numbers become null (JSON has no NaN).
 */
final class Json {
    private Json() {}

    static String object(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (var e : fields.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            string(sb, e.getKey());
            sb.append(':');
            value(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    private static void value(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case Map<?, ?> m -> {
                @SuppressWarnings("unchecked") Map<String, ?> mm = (Map<String, ?>) m;
                sb.append(object(mm));
            }
            case Boolean b -> sb.append(b);
            case Integer i -> sb.append(i);
            case Long l -> sb.append(l);
            case Float f -> number(sb, f.doubleValue(), true);
            case Double d -> number(sb, d, false);
            default -> string(sb, v.toString());
        }
    }

    private static void number(StringBuilder sb, double d, boolean single) {
        if (!Double.isFinite(d)) sb.append("null");
        else sb.append(single ? Float.toString((float) d) : String.format(Locale.ROOT, "%.9g", d));
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
