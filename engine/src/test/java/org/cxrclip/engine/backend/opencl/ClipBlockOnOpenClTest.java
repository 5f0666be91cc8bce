package org.cxrclip.engine.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.ops.Activations;
import org.cxrclip.engine.ops.Arithmetic;
import org.cxrclip.engine.ops.Attention;
import org.cxrclip.engine.ops.CrossEntropy;
import org.cxrclip.engine.ops.Gather;
import org.cxrclip.engine.ops.LayerNorm;
import org.cxrclip.engine.ops.MatMul;
import org.cxrclip.engine.ops.Permute;
import org.cxrclip.engine.ops.Reductions;
import org.cxrclip.engine.ops.Reshape;
import org.cxrclip.engine.ops.Slice;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A small CLIP text-tower step built from engine ops (module nn is out of reach here): token embedding +
 * position, one pre-LN residual attention block with causal multi-head attention and a QuickGELU MLP, final
 * layer norm, mean pooling, a classifier and cross-entropy. The loss and every parameter gradient on OpenCL
 * equal the CPU backend's (and the reference's), so a training step on the device computes what the CPU does.
 *
 * <p>Tolerance: values are O(1) and every contraction is ≤ 64 long, so float32 sums in different orders agree
 * to ~1e-5 relative; 1e-4 relative + 1e-5 absolute passes rounding yet fails any wrong index or term.
 */
class ClipBlockOnOpenClTest {
    private static final int B = 2, T = 7, C = 32, H = 4, VOCAB = 11, CLASSES = 5;

    @Test
    void forwardAndBackwardEqualTheCpuBackend() {
        Assumptions.assumeTrue(OpHarness.openClRequested(),
                "OpenCL tests not requested (set CXRCLIP_TEST_OPENCL=1 or -Dcxrclip.test.opencl=true)");
        Backend cl = OpHarness.openCl();
        Map<String, float[]> init = parameters();
        Map<String, float[]> cpu = step(Backends.cpu(), init);
        Map<String, float[]> dev = step(cl, init);
        Map<String, float[]> ref = step(Backends.reference(), init);
        assertEquals(cpu.keySet(), dev.keySet());
        for (String key : cpu.keySet()) {
            OpHarness.assertClose(key + " (OpenCL vs CPU)", cpu.get(key), dev.get(key), 1e-4, 1e-5);
            OpHarness.assertClose(key + " (OpenCL vs reference)", ref.get(key), dev.get(key), 1e-4, 1e-5);
        }
    }

    private static Map<String, float[]> parameters() {
        Rng rng = new Rng(2024);
        Map<String, float[]> p = new LinkedHashMap<>();
        p.put("token_embedding", gaussian(rng, VOCAB * C, 0.5f));
        p.put("positional_embedding", gaussian(rng, T * C, 0.1f));
        p.put("ln_1.weight", affine(rng, C));
        p.put("ln_1.bias", gaussian(rng, C, 0.1f));
        p.put("attn.in_proj_weight", gaussian(rng, 3 * C * C, 0.2f));
        p.put("attn.in_proj_bias", gaussian(rng, 3 * C, 0.1f));
        p.put("attn.out_proj.weight", gaussian(rng, C * C, 0.2f));
        p.put("attn.out_proj.bias", gaussian(rng, C, 0.1f));
        p.put("ln_2.weight", affine(rng, C));
        p.put("ln_2.bias", gaussian(rng, C, 0.1f));
        p.put("mlp.c_fc.weight", gaussian(rng, 4 * C * C, 0.2f));
        p.put("mlp.c_fc.bias", gaussian(rng, 4 * C, 0.1f));
        p.put("mlp.c_proj.weight", gaussian(rng, 4 * C * C, 0.1f));
        p.put("mlp.c_proj.bias", gaussian(rng, C, 0.1f));
        p.put("ln_final.weight", affine(rng, C));
        p.put("ln_final.bias", gaussian(rng, C, 0.1f));
        p.put("head.weight", gaussian(rng, CLASSES * C, 0.3f));
        return p;
    }

    /** One forward and backward on {@code b}; returns the loss ("loss") and every parameter's gradient. */
    private static Map<String, float[]> step(Backend b, Map<String, float[]> init) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        int[][] shapes = {{VOCAB, C}, {T, C}, {C}, {C}, {3 * C, C}, {3 * C}, {C, C}, {C}, {C}, {C}, {4 * C, C},
                {4 * C}, {C, 4 * C}, {C}, {C}, {C}, {CLASSES, C}};
        int i = 0;
        for (var e : init.entrySet()) p.put(e.getKey(), Tensor.of(b, e.getValue(), shapes[i++]).requiresGrad(true));

        int[] tokens = {1, 4, 4, 9, 0, 3, 10, 2, 2, 2, 7, 5, 6, 8};
        Tensor x = Arithmetic.add(Gather.embedding(p.get("token_embedding"), tokens, B, T), p.get("positional_embedding"));
        // attention branch: (B, T, C) → q, k, v (B, H, T, C/H) → causal attention → (B, T, C)
        Tensor h = LayerNorm.layerNorm(x, p.get("ln_1.weight"), p.get("ln_1.bias"), 1e-5f);
        Tensor qkv = MatMul.linear(h, p.get("attn.in_proj_weight"), p.get("attn.in_proj_bias"));
        Tensor[] heads = new Tensor[3];
        for (int j = 0; j < 3; j++)
            heads[j] = Permute.permute(Reshape.reshape(Slice.slice(qkv, 2, j * C, (j + 1) * C), B, T, H, C / H), 0, 2, 1, 3);
        Tensor att = Attention.scaledDotProduct(heads[0], heads[1], heads[2], null, true);
        att = Reshape.reshape(Permute.permute(att, 0, 2, 1, 3), B, T, C);
        x = Arithmetic.add(x, MatMul.linear(att, p.get("attn.out_proj.weight"), p.get("attn.out_proj.bias")));
        // MLP branch with CLIP's QuickGELU
        h = LayerNorm.layerNorm(x, p.get("ln_2.weight"), p.get("ln_2.bias"), 1e-5f);
        h = Activations.quickGelu(MatMul.linear(h, p.get("mlp.c_fc.weight"), p.get("mlp.c_fc.bias")));
        x = Arithmetic.add(x, MatMul.linear(h, p.get("mlp.c_proj.weight"), p.get("mlp.c_proj.bias")));
        x = LayerNorm.layerNorm(x, p.get("ln_final.weight"), p.get("ln_final.bias"), 1e-5f);
        Tensor pooled = Reductions.mean(x, 1, false); // (B, C)
        Tensor logits = MatMul.linear(pooled, p.get("head.weight"), null);
        Tensor loss = CrossEntropy.crossEntropy(logits, new int[] {3, 1});
        loss.backward();

        Map<String, float[]> out = new LinkedHashMap<>();
        out.put("loss", loss.toArray());
        for (var e : p.entrySet()) out.put(e.getKey() + ".grad", e.getValue().grad().toArray());
        return out;
    }

    private static float[] gaussian(Rng rng, int n, float std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rng.nextGaussian() * std);
        return v;
    }

    private static float[] affine(Rng rng, int n) {
        float[] v = gaussian(rng, n, 0.1f);
        for (int i = 0; i < n; i++) v[i] += 1f;
        return v;
    }
}
