package org.cxrclip.train.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * metrics.jsonl read back: the step lines and the epoch lines of a run (a resumed run's file holds both
 * parts). A last line cut short by a crash is ignored; any other unreadable line is an error naming it.
 */
public record MetricsLog(List<JsonObject> steps, List<JsonObject> epochs) {
    public static MetricsLog read(Path file) throws IOException {
        List<JsonObject> steps = new ArrayList<>(), epochs = new ArrayList<>();
        if (!Files.isRegularFile(file)) return new MetricsLog(steps, epochs);
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty()) continue;
            JsonObject o;
            try {
                o = JsonParser.parseString(l).getAsJsonObject();
            } catch (JsonSyntaxException | IllegalStateException e) {
                if (i == lines.size() - 1) break;
                throw new IOException(file + ": line " + (i + 1) + " is not a JSON object: " + e.getMessage());
            }
            String type = o.has("type") ? o.get("type").getAsString() : "";
            if (type.equals("step")) steps.add(o);
            else if (type.equals("epoch")) epochs.add(o);
        }
        return new MetricsLog(steps, epochs);
    }

    /** The number under {@code key}, NaN when absent or null. */
    public static double number(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }

    /** {xs, ys} of two numeric fields over the lines. */
    public static double[][] series(List<JsonObject> lines, String x, String y) {
        double[] xs = new double[lines.size()], ys = new double[lines.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = number(lines.get(i), x);
            ys[i] = number(lines.get(i), y);
        }
        return new double[][] {xs, ys};
    }
}
