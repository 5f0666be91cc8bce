package org.cxrclip.nn;

import static org.cxrclip.engine.testing.OpHarness.assertClose;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CLIP's residual attention block against PyTorch: weights, input, outputs and all gradients come from
 * {@code tests/goldens/nn/make_block_golden.py} (torch.nn.MultiheadAttention, LayerNorm, Linear, QuickGELU as in
 * openai/CLIP). Checks the key names, the q/k/v row order of in_proj, the head split, the causal mask and
 * every backward formula on the way, on both backends. Tolerance: float32 through ~6 layers of O(1) values,
 * so 1e-5 absolute plus 1e-4 relative.
 */
class ResidualAttentionBlockGoldenTest {
    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void matchesPyTorch(String backendName) throws Exception {
        Backend backend = Backends.byName(backendName);
        JsonObject g;
        try (var in = getClass().getResourceAsStream("/golden/residual_block.json")) {
            g = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
        int d = g.get("width").getAsInt(), heads = g.get("heads").getAsInt();
        int seq = g.get("seq").getAsInt(), batch = g.get("batch").getAsInt();
        ResidualAttentionBlock block = new ResidualAttentionBlock(backend, d, heads, new Rng(1));
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (var e : g.getAsJsonObject("params").entrySet()) {
            JsonObject p = e.getValue().getAsJsonObject();
            JsonArray shape = p.getAsJsonArray("shape");
            int[] s = new int[shape.size()];
            for (int i = 0; i < s.length; i++) s[i] = shape.get(i).getAsInt();
            weights.put(e.getKey(), Tensor.of(backend, floats(p.getAsJsonArray("values")), s));
        }
        block.loadStateDict(Module.sourceOf(weights, "residual_block.json"));

        Tensor mask = causalMask(backend, seq);
        for (String variant : new String[] {"plain", "causal"}) {
            JsonObject want = g.getAsJsonObject(variant);
            block.zeroGrad();
            Tensor x = Tensor.of(backend, floats(g.getAsJsonArray("x")), batch, seq, d).requiresGrad(true);
            Tensor out = block.forward(x, variant.equals("causal") ? mask : null, false);
            String where = variant + " on " + backendName;
            assertClose(where + " output", floats(want.getAsJsonArray("out")), out.toArray(), 1e-4, 1e-5);
            out.backward(Tensor.of(backend, floats(g.getAsJsonArray("w")), batch, seq, d));
            assertClose(where + " grad x", floats(want.getAsJsonArray("grad_x")), x.grad().toArray(), 1e-4, 1e-5);
            for (var e : want.getAsJsonObject("grads").entrySet())
                assertClose(where + " grad " + e.getKey(), floats(e.getValue().getAsJsonArray()),
                        block.namedParameters().get(e.getKey()).grad().toArray(), 1e-4, 1e-5);
        }
    }

    /** CLIP's text mask: −inf strictly above the diagonal, 0 elsewhere. */
    private static Tensor causalMask(Backend backend, int n) {
        float[] m = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) m[i * n + j] = Float.NEGATIVE_INFINITY;
        return Tensor.of(backend, m, n, n);
    }

    private static float[] floats(JsonArray a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsFloat();
        return v;
    }
}
