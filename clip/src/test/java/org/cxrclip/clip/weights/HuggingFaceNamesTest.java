package org.cxrclip.clip.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuggingFaceNamesTest {
    @TempDir
    Path dir;

    @Test
    void qkvSplitAndProjectionTransposeFollowTheConversionScript() {
        StateDict oa = TinyClip.random(8);
        StateDict hf = HuggingFaceNames.toHuggingFace(oa);
        assertEquals(oa.size() + 4 * (TinyClip.CONFIG.visionLayers() + TinyClip.CONFIG.textLayers()), hf.size());
        int d = TinyClip.CONFIG.textWidth();
        float[] inProj = oa.require("transformer.resblocks.1.attn.in_proj_weight").toFloats(); // (3d, d)
        float[] k = hf.require("text_model.encoder.layers.1.self_attn.k_proj.weight", d, d).toFloats();
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                assertEquals(inProj[(d + r) * d + c], k[r * d + c]);
            }
        }
        float[] vBias = hf.require("text_model.encoder.layers.1.self_attn.v_proj.bias", d).toFloats();
        float[] inBias = oa.require("transformer.resblocks.1.attn.in_proj_bias").toFloats();
        assertArrayEquals(java.util.Arrays.copyOfRange(inBias, 2 * d, 3 * d), vBias);
        int w = TinyClip.CONFIG.visionWidth();
        int e = TinyClip.CONFIG.embedDim();
        float[] proj = oa.require("visual.proj").toFloats(); // (w, e)
        float[] hfProj = hf.require("visual_projection.weight", e, w).toFloats(); // (e, w)
        assertEquals(proj[3 * e + 5], hfProj[5 * w + 3]);
        assertArrayEquals(oa.require("visual.ln_pre.bias").toFloats(),
                hf.require("vision_model.pre_layrnorm.bias").toFloats());
    }

    @Test
    void hfSafetensorsOpenAsOpenAiBitExactInRegistrationOrder() throws IOException {
        StateDict oa = TinyClip.random(9);
        StateDict hf = HuggingFaceNames.toHuggingFace(oa);
        hf.put(WeightTensor.ofFloats("text_model.embeddings.position_ids", new float[16], 1, 16));
        Path f = dir.resolve("hf.safetensors");
        SafetensorsWriter.write(f, hf, Map.of());
        StateDict back = WeightFiles.open(f);
        assertEquals(List.copyOf(oa.keys()), List.copyOf(back.keys()));
        for (WeightTensor t : oa.tensors()) {
            assertArrayEquals(t.toFloats(), back.require(t.name(), t.shape()).toFloats(), 0f, t.name());
        }
    }

    @Test
    void missingAndUnexpectedHfKeysAreListed() {
        StateDict hf = HuggingFaceNames.toHuggingFace(TinyClip.random(10));
        StateDict broken = new StateDict("broken.safetensors");
        hf.tensors().stream().filter(t -> !t.name().equals("vision_model.encoder.layers.1.self_attn.k_proj.bias"))
                .forEach(broken::put);
        broken.put(WeightTensor.ofFloats("text_model.pooler.weight", new float[1], 1));
        WeightFileException ex = assertThrows(WeightFileException.class, () -> HuggingFaceNames.toOpenAi(broken));
        assertTrue(ex.getMessage().contains("broken.safetensors"), ex.getMessage());
        assertTrue(ex.getMessage().contains("missing keys [vision_model.encoder.layers.1.self_attn.k_proj.bias]"),
                ex.getMessage());
        assertTrue(ex.getMessage().contains("unexpected keys [text_model.pooler.weight]"), ex.getMessage());
    }
}
