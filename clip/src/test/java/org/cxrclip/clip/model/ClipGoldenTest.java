package org.cxrclip.clip.model;

import static org.cxrclip.engine.testing.OpHarness.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.cxrclip.clip.weights.ClipConfig;
import org.cxrclip.engine.Autograd;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tiny CLIP with OpenAI's architecture and names, built and run in PyTorch by
 * {@code tests/goldens/clip/make_clip_golden.py}: we load its safetensors through the normal checkpoint path
 * (config inferred from shapes) and must give PyTorch's image features, text features and logits.
 * Tolerance 1e-4 relative + 1e-5 absolute: float32 through two transformer layers per tower.
 */
class ClipGoldenTest {
    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void embeddingsMatchPyTorch(String backendName) throws Exception {
        Backend backend = Backends.byName(backendName);
        Path weights = resource("/golden/tiny_clip.safetensors");
        JsonObject g;
        try (var in = getClass().getResourceAsStream("/golden/tiny_clip_outputs.json")) {
            g = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
        Clip model = ClipCheckpoint.load(weights, backend);
        assertEquals(new ClipConfig(32, 2, 8, 2, 16, 1, 16, 8, 100, 32, 1, 2), model.config());

        JsonArray rows = g.getAsJsonArray("text");
        int[][] tokens = new int[rows.size()][];
        for (int i = 0; i < tokens.length; i++) {
            JsonArray r = rows.get(i).getAsJsonArray();
            tokens[i] = new int[r.size()];
            for (int j = 0; j < tokens[i].length; j++) tokens[i][j] = r.get(j).getAsInt();
        }
        try (var off = Autograd.noGrad()) {
            Tensor images = Tensor.of(backend, floats(g.getAsJsonArray("images")), 2, 3, 16, 16);
            Tensor img = model.encodeImage(images);
            Tensor txt = model.encodeText(tokens);
            assertClose("image features", floats(g.getAsJsonArray("image_features")), img.toArray(), 1e-4, 1e-5);
            assertClose("text features", floats(g.getAsJsonArray("text_features")), txt.toArray(), 1e-4, 1e-5);
            assertClose("logits", floats(g.getAsJsonArray("logits")), model.logits(img, txt).toArray(), 1e-4, 1e-4);
        }
    }

    private Path resource(String name) throws URISyntaxException {
        return Path.of(getClass().getResource(name).toURI());
    }

    private static float[] floats(JsonArray a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsFloat();
        return v;
    }
}
