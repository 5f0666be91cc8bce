package org.cxrclip.clip.weights;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hyper-parameters of a ViT CLIP, inferred from an OpenAI-named state dict exactly as openai/CLIP's
 * {@code build_model} does (REFERENCE §1.1), plus the full list of keys and shapes such a model has, in OpenAI
 * registration order (§1.2). Heads are width/64 as in {@code build_model}; widths under 64 (only test-sized models)
 * get one head where {@code build_model} would fail.
 */
public record ClipConfig(int visionWidth, int visionLayers, int visionPatch, int visionGrid, int imageResolution,
        int visionHeads, int embedDim, int contextLength, int vocabSize, int textWidth, int textHeads, int textLayers) {

    private static final Pattern TEXT_BLOCK = Pattern.compile("transformer\\.resblocks\\.(\\d+)\\..+");

    /** ViT-B/32 as released by OpenAI. */
    public static final ClipConfig VIT_B_32 = new ClipConfig(768, 12, 32, 7, 224, 12, 512, 77, 49408, 512, 8, 12);

    /** Infers the configuration from tensor shapes; missing or malformed keys are errors naming the file and key. */
    public static ClipConfig infer(StateDict sd) {
        if (!sd.contains("visual.proj")) {
            throw new WeightFileException(sd.source(), "visual.proj", "is missing: not a ViT CLIP state dict with OpenAI names"
                    + " (ResNet CLIP checkpoints are not supported)");
        }
        int[] conv = rank(sd, "visual.conv1.weight", 4);
        int visionWidth = conv[0];
        int visionLayers = (int) sd.keys().stream()
                .filter(k -> k.startsWith("visual.") && k.endsWith(".attn.in_proj_weight")).count();
        int patch = conv[3];
        int visionTokens = rank(sd, "visual.positional_embedding", 2)[0];
        int grid = (int) Math.round(Math.sqrt(visionTokens - 1));
        int embedDim = rank(sd, "text_projection", 2)[1];
        int context = rank(sd, "positional_embedding", 2)[0];
        int vocab = rank(sd, "token_embedding.weight", 2)[0];
        int textWidth = rank(sd, "ln_final.weight", 1)[0];
        TreeSet<Integer> textBlocks = new TreeSet<>();
        for (String k : sd.keys()) {
            Matcher m = TEXT_BLOCK.matcher(k);
            if (m.matches()) {
                textBlocks.add(layerIndex(sd.source(), k, m.group(1)));
            }
        }
        return new ClipConfig(visionWidth, visionLayers, patch, grid, patch * grid, heads(visionWidth), embedDim,
                context, vocab, textWidth, heads(textWidth), textBlocks.size());
    }

    /** Infers the configuration and checks every key and shape against it (one error lists all differences). */
    public static ClipConfig inferAndValidate(StateDict sd) {
        ClipConfig c = infer(sd);
        sd.requireExactly(c.expectedShapes());
        return c;
    }

    /** The block number in a key such as {@code transformer.resblocks.11.ln_1.weight}; beyond int it is an error. */
    static int layerIndex(String where, String key, String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new WeightFileException(where, key, "has layer number " + digits
                    + ", which is not a plausible block index");
        }
    }

    private static int heads(int width) {
        return Math.max(1, width / 64);
    }

    private static int[] rank(StateDict sd, String key, int rank) {
        int[] s = sd.require(key).shape();
        if (s.length != rank) {
            throw new WeightFileException(sd.source(), key, "has shape " + java.util.Arrays.toString(s) + ", expected rank "
                    + rank);
        }
        return s;
    }

    /** Every key of this model with its shape, in OpenAI registration order. */
    public Map<String, int[]> expectedShapes() {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("positional_embedding", new int[] {contextLength, textWidth});
        m.put("text_projection", new int[] {textWidth, embedDim});
        m.put("logit_scale", new int[0]);
        m.put("visual.class_embedding", new int[] {visionWidth});
        m.put("visual.positional_embedding", new int[] {visionGrid * visionGrid + 1, visionWidth});
        m.put("visual.proj", new int[] {visionWidth, embedDim});
        m.put("visual.conv1.weight", new int[] {visionWidth, 3, visionPatch, visionPatch});
        m.put("visual.ln_pre.weight", new int[] {visionWidth});
        m.put("visual.ln_pre.bias", new int[] {visionWidth});
        for (int i = 0; i < visionLayers; i++) {
            block(m, "visual.transformer.resblocks." + i + ".", visionWidth);
        }
        m.put("visual.ln_post.weight", new int[] {visionWidth});
        m.put("visual.ln_post.bias", new int[] {visionWidth});
        for (int i = 0; i < textLayers; i++) {
            block(m, "transformer.resblocks." + i + ".", textWidth);
        }
        m.put("token_embedding.weight", new int[] {vocabSize, textWidth});
        m.put("ln_final.weight", new int[] {textWidth});
        m.put("ln_final.bias", new int[] {textWidth});
        return m;
    }

    private static void block(Map<String, int[]> m, String p, int w) {
        m.put(p + "attn.in_proj_weight", new int[] {3 * w, w});
        m.put(p + "attn.in_proj_bias", new int[] {3 * w});
        m.put(p + "attn.out_proj.weight", new int[] {w, w});
        m.put(p + "attn.out_proj.bias", new int[] {w});
        m.put(p + "ln_1.weight", new int[] {w});
        m.put(p + "ln_1.bias", new int[] {w});
        m.put(p + "mlp.c_fc.weight", new int[] {4 * w, w});
        m.put(p + "mlp.c_fc.bias", new int[] {4 * w});
        m.put(p + "mlp.c_proj.weight", new int[] {w, 4 * w});
        m.put(p + "mlp.c_proj.bias", new int[] {w});
        m.put(p + "ln_2.weight", new int[] {w});
        m.put(p + "ln_2.bias", new int[] {w});
    }

    /** Total parameter count of a model with this configuration. */
    public long parameterCount() {
        long n = 0;
        for (int[] s : expectedShapes().values()) {
            long e = 1;
            for (int d : s) {
                e *= d;
            }
            n += e;
        }
        return n;
    }

    /** One line, e.g. for the convert command. */
    public String summary() {
        return String.format("vision(width=%d layers=%d heads=%d patch=%d grid=%d resolution=%d) "
                + "text(width=%d layers=%d heads=%d context=%d vocab=%d) embed=%d", visionWidth, visionLayers, visionHeads,
                visionPatch, visionGrid, imageResolution, textWidth, textLayers, textHeads, contextLength, vocabSize, embedDim);
    }
}
