package org.cxrclip.clip.weights;

import java.util.Map;
import java.util.Random;

/** Test helper: a tiny CLIP with random weights under OpenAI names, in registration order. */
final class TinyClip {
    /** vision width 64, 2 layers, patch 8, grid 2; text width 32, 2 layers, context 16, vocab 100; embed 16. */
    static final ClipConfig CONFIG = new ClipConfig(64, 2, 8, 2, 16, 1, 16, 16, 100, 32, 1, 2);

    private TinyClip() {
    }

    static StateDict random(long seed) {
        Random r = new Random(seed);
        StateDict sd = new StateDict("tiny");
        for (Map.Entry<String, int[]> e : CONFIG.expectedShapes().entrySet()) {
            int n = 1;
            for (int d : e.getValue()) {
                n *= d;
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) (r.nextGaussian() * 0.1);
            }
            sd.put(WeightTensor.ofFloats(e.getKey(), v, e.getValue()));
        }
        return sd;
    }

    /** The value fp16 storage would give back. */
    static float[] roundedToHalf(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.float16ToFloat(Float.floatToFloat16(v[i]));
        }
        return out;
    }
}
