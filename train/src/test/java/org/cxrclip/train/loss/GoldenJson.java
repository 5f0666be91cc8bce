package org.cxrclip.train.loss;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the PyTorch goldens under {@code src/test/resources/golden/} (made by
 * {@code tests/goldens/train/make_train_goldens.py}); shared by the loss and optimiser tests.
 */
public final class GoldenJson {
    private GoldenJson() {}

    public static JsonObject load(String name) {
        try (var in = GoldenJson.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) throw new IllegalStateException("golden file /golden/" + name + " is missing from the test resources");
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static float[] floats(JsonElement array) {
        JsonArray a = array.getAsJsonArray();
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsFloat();
        return v;
    }

    public static double[] doubles(JsonElement array) {
        JsonArray a = array.getAsJsonArray();
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            JsonElement e = a.get(i);
            v[i] = e.getAsJsonPrimitive().isString() && e.getAsString().equals("NaN") ? Double.NaN : e.getAsDouble();
        }
        return v;
    }

    public static int[] ints(JsonElement array) {
        JsonArray a = array.getAsJsonArray();
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsInt();
        return v;
    }
}
