package org.cxrclip.clip.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.cxrclip.clip.weights.ClipConfig;

/**
 * Named model sizes: OpenAI's ViT-B/32 and small ones for tests and the demo. All keep CLIP's vocabulary
 * (49408) and context (77) so the real tokenizer feeds every preset.
 */
public final class ClipPresets {
    private static final Map<String, ClipConfig> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("ViT-B/32", ClipConfig.VIT_B_32);
        // (visionWidth, visionLayers, patch, grid, resolution, visionHeads, embed, context, vocab, textWidth, textHeads, textLayers)
        PRESETS.put("tiny", new ClipConfig(64, 2, 16, 2, 32, 1, 32, 77, 49408, 64, 1, 2));
        PRESETS.put("small", new ClipConfig(192, 4, 16, 4, 64, 3, 128, 77, 49408, 128, 2, 4));
    }

    private ClipPresets() {}

    public static ClipConfig get(String name) {
        for (var e : PRESETS.entrySet())
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) return e.getValue();
        throw new IllegalArgumentException("unknown model preset '" + name + "' (known: " + String.join(", ", PRESETS.keySet()) + ")");
    }

    public static Iterable<String> names() {
        return PRESETS.keySet();
    }
}
