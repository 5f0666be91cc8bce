package org.cxrclip.apps;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * JSON for command outputs (eval.json, the demo's metrics.json, embed metadata) through Gson: maps (keys in
 * their iteration order), collections, strings, paths, numbers and booleans. JSON has no NaN or infinity, so a
 * non-finite number becomes null.
 */
final class Json {
    private static final Gson COMPACT = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
    private static final Gson PRETTY = new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting().create();

    private Json() {}

    /** One line. */
    static String compact(Object value) {
        return COMPACT.toJson(tree(value));
    }

    /** Indented by two spaces. */
    static String pretty(Object value) {
        return PRETTY.toJson(tree(value));
    }

    static JsonElement tree(Object v) {
        return switch (v) {
            case null -> JsonNull.INSTANCE;
            case String s -> new JsonPrimitive(s);
            case Path p -> new JsonPrimitive(p.toString());
            case Boolean b -> new JsonPrimitive(b);
            case Integer i -> new JsonPrimitive(i);
            case Long l -> new JsonPrimitive(l);
            case Float f -> Float.isFinite(f) ? new JsonPrimitive(f) : JsonNull.INSTANCE;
            case Number n -> Double.isFinite(n.doubleValue()) ? new JsonPrimitive(n.doubleValue()) : JsonNull.INSTANCE;
            case Map<?, ?> m -> {
                JsonObject o = new JsonObject();
                for (var e : m.entrySet()) o.add(String.valueOf(e.getKey()), tree(e.getValue()));
                yield o;
            }
            case Collection<?> c -> {
                JsonArray a = new JsonArray();
                for (Object x : c) a.add(tree(x));
                yield a;
            }
            default -> throw new IllegalArgumentException("json: cannot write " + v.getClass().getName());
        };
    }
}
