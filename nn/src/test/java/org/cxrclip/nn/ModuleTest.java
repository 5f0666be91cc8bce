package org.cxrclip.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.junit.jupiter.api.Test;

class ModuleTest {
    private static final Backend B = Backends.reference();

    @Test
    void namesFollowTorchStateDictKeys() {
        Transformer t = new Transformer(B, 8, 2, 2, new Rng(0));
        List<String> names = List.copyOf(t.namedParameters().keySet());
        assertEquals(List.of("resblocks.0.attn.in_proj_weight", "resblocks.0.attn.in_proj_bias",
                "resblocks.0.attn.out_proj.weight", "resblocks.0.attn.out_proj.bias",
                "resblocks.0.ln_1.weight", "resblocks.0.ln_1.bias",
                "resblocks.0.mlp.c_fc.weight", "resblocks.0.mlp.c_fc.bias",
                "resblocks.0.mlp.c_proj.weight", "resblocks.0.mlp.c_proj.bias",
                "resblocks.0.ln_2.weight", "resblocks.0.ln_2.bias"), names.subList(0, 12));
        assertEquals(24, names.size());
        // 4·(3·8·8 + 3·8 + 8·8 + 8 + 2·8 + 8·32 + 32 + 32·8 + 8 + 2·8) per block, computed by hand: 872
        assertEquals(2 * 872, t.parameterCount());
    }

    @Test
    void loadingCopiesValuesAndReportsEveryProblem() {
        Linear a = new Linear(B, 3, 2, true, new Rng(1));
        Linear b = new Linear(B, 3, 2, true, new Rng(2));
        b.loadStateDict(Module.sourceOf(a.namedParameters(), "a"));
        assertArrayEquals(a.weight.toArray(), b.weight.toArray());

        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("weight", Tensor.zeros(B, 3, 2));
        bad.put("extra", Tensor.zeros(B, 1));
        float[] before = b.weight.toArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.loadStateDict(Module.sourceOf(bad, "ckpt.safetensors")));
        String m = e.getMessage();
        assertTrue(m.startsWith("ckpt.safetensors: 3 problem(s)"), m);
        assertTrue(m.contains("missing key bias [2]"), m);
        assertTrue(m.contains("key weight: expected shape [2, 3] but the file has [3, 2]"), m);
        assertTrue(m.contains("unexpected key extra [1]"), m);
        assertArrayEquals(before, b.weight.toArray(), "nothing is half-loaded");
    }
}
