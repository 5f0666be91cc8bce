package org.cxrclip.clip.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Loads the checkpoints PyTorch 1.13 wrote (tests/goldens/weights/make_fixtures.py → src/test/resources/weights)
 * and compares every tensor with the checksums PyTorch computed: shape, source dtype, sum, index-weighted sum (which
 * catches transposes and permutations) and the first values, bit for bit.
 */
class PyTorchFixturesTest {
    @ParameterizedTest
    @ValueSource(strings = {"tiny_state_dict.pt", "tiny_jit_script.pt", "tiny_jit_trace.pt", "tiny_hf.safetensors"})
    void readerMatchesPyTorch(String file) throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/weights/tiny_checksums.json").toURI()).getParent();
        Map<?, ?> json = (Map<?, ?>) HeaderJson.parse(Files.readString(dir.resolve("tiny_checksums.json")), "checksums");
        Map<?, ?> expected = (Map<?, ?>) json.get(((Map<?, ?>) json.get("files")).get(file));
        StateDict sd = WeightFiles.open(dir.resolve(file));
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(sd.keys()), "keys and order");
        for (Map.Entry<?, ?> e : expected.entrySet()) {
            String key = (String) e.getKey();
            Map<?, ?> want = (Map<?, ?>) e.getValue();
            WeightTensor t = sd.require(key);
            List<?> shape = (List<?>) want.get("shape");
            int[] s = t.shape();
            assertEquals(shape.size(), s.length, key);
            for (int i = 0; i < s.length; i++) {
                assertEquals(((Long) shape.get(i)).intValue(), s[i], key);
            }
            String dtype = (String) want.get("dtype");
            if (!file.endsWith(".safetensors") || !key.contains("in_proj")) { // fused q/k/v are computed tensors
                assertEquals(torchName(t.dtype()), dtype, key);
            }
            float[] v = t.toFloats();
            double sum = 0;
            double weighted = 0;
            for (int i = 0; i < v.length; i++) {
                sum += v[i];
                weighted += (double) v[i] * (i + 1);
            }
            assertEquals(number(want.get("sum")), sum, 1e-9 + 1e-8 * Math.abs(sum), key + " sum");
            assertEquals(number(want.get("weighted_sum")), weighted, 1e-9 + 1e-8 * Math.abs(weighted), key + " weighted sum");
            List<?> first = (List<?>) want.get("first");
            for (int i = 0; i < first.size(); i++) {
                assertEquals((float) number(first.get(i)), v[i], 0f, key + "[" + i + "]");
            }
        }
        ClipConfig c = ClipConfig.inferAndValidate(sd);
        Map<?, ?> cfg = (Map<?, ?>) json.get("config");
        assertEquals(new ClipConfig(n(cfg, "vision_width"), n(cfg, "vision_layers"), n(cfg, "patch"), n(cfg, "grid"),
                n(cfg, "patch") * n(cfg, "grid"), 1, n(cfg, "embed"), n(cfg, "context"), n(cfg, "vocab"),
                n(cfg, "text_width"), 1, n(cfg, "text_layers")), c);
    }

    private static int n(Map<?, ?> m, String k) {
        return ((Long) m.get(k)).intValue();
    }

    private static double number(Object o) {
        return ((Number) o).doubleValue();
    }

    private static String torchName(WeightDType t) {
        return switch (t) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> t.name();
        };
    }
}
