package org.cxrclip.clip.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClipConfigTest {
    /** A ViT-B/32-shaped state dict whose values are never decoded (so it costs no memory). */
    private static StateDict shapesOnly(ClipConfig c, String source) {
        StateDict sd = new StateDict(source);
        for (Map.Entry<String, int[]> e : c.expectedShapes().entrySet()) {
            sd.put(WeightTensor.computed(e.getKey(), WeightDType.F16, e.getValue(), () -> {
                throw new AssertionError("values should not be decoded");
            }));
        }
        return sd;
    }

    @Test
    void vitB32HasThe302TensorsAndParameterCountOfReference() {
        // REFERENCE §0: 151,277,313 parameters in 302 state-dict tensors.
        assertEquals(302, ClipConfig.VIT_B_32.expectedShapes().size());
        assertEquals(151_277_313L, ClipConfig.VIT_B_32.parameterCount());
    }

    @Test
    void infersVitB32FromShapesAsBuildModelDoes() {
        StateDict sd = shapesOnly(ClipConfig.VIT_B_32, "ViT-B-32.pt");
        ClipConfig c = ClipConfig.inferAndValidate(sd);
        assertEquals(ClipConfig.VIT_B_32, c);
        assertEquals(12, c.visionHeads());
        assertEquals(8, c.textHeads());
        assertEquals(224, c.imageResolution());
        assertEquals(151_277_313L, sd.parameterCount());
    }

    @Test
    void wrongShapesAndMissingKeysAreNamed() {
        StateDict full = shapesOnly(TinyClip.CONFIG, "bad.pt");
        StateDict sd = new StateDict("bad.pt");
        for (WeightTensor t : full.tensors()) {
            if (t.name().equals("transformer.resblocks.1.mlp.c_fc.bias")) {
                continue;
            }
            sd.put(t.name().equals("visual.ln_post.bias") ? WeightTensor.ofFloats(t.name(), new float[3], 3) : t);
        }
        sd.put(WeightTensor.ofFloats("extra.thing", new float[1], 1));
        WeightFileException e = assertThrows(WeightFileException.class, () -> ClipConfig.inferAndValidate(sd));
        String m = e.getMessage();
        assertTrue(m.startsWith("bad.pt: "), m);
        assertTrue(m.contains("missing keys [transformer.resblocks.1.mlp.c_fc.bias]"), m);
        assertTrue(m.contains("unexpected keys [extra.thing]"), m);
        assertTrue(m.contains("visual.ln_post.bias [3] (expected [64])"), m);
        WeightFileException noVit = assertThrows(WeightFileException.class,
                () -> ClipConfig.infer(new StateDict("resnet.pt")));
        assertTrue(noVit.getMessage().contains("resnet.pt: key 'visual.proj' is missing"), noVit.getMessage());
        assertTrue(assertThrows(WeightFileException.class, () -> sd.require("visual.proj", 1, 2)).getMessage()
                .contains("has shape [64, 16], expected [1, 2]"));
    }

    /** Found by WeightFilesFuzzTest: Integer.parseInt threw a NumberFormatException that named no file or key. */
    @Test
    void layerNumbersBeyondIntNameTheFileAndKey() {
        String key = "transformer.resblocks.99999999999.ln_1.bias";
        StateDict sd = shapesOnly(TinyClip.CONFIG, "big.pt");
        sd.put(WeightTensor.ofFloats(key, new float[32], 32));
        WeightFileException e = assertThrows(WeightFileException.class, () -> ClipConfig.infer(sd));
        assertEquals("big.pt: key '" + key + "' has layer number 99999999999, which is not a plausible block index",
                e.getMessage());
        StateDict hf = HuggingFaceNames.toHuggingFace(TinyClip.random(11));
        StateDict bad = new StateDict("hf.safetensors");
        hf.tensors().forEach(bad::put);
        bad.put(WeightTensor.ofFloats("vision_model.encoder.layers.4294967296.mlp.fc1.bias", new float[1], 1));
        e = assertThrows(WeightFileException.class, () -> HuggingFaceNames.toOpenAi(bad));
        assertTrue(e.getMessage().startsWith("hf.safetensors: key 'vision_model.encoder.layers.4294967296.mlp.fc1.bias'"
                + " has layer number 4294967296"), e.getMessage());
    }
}
