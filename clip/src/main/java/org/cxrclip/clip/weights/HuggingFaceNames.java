package org.cxrclip.clip.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HuggingFace {@code CLIPModel} parameter names ↔ OpenAI CLIP names (REFERENCE §2), as
 * {@code convert_clip_original_pytorch_to_hf.py} maps them: OpenAI's fused {@code attn.in_proj_weight/bias} are
 * HF's separate q, k, v projections (row blocks in that order), OpenAI's {@code proj}/{@code text_projection} are
 * stored [in, out] where HF's {@code visual_projection}/{@code text_projection} Linear weights are [out, in], and
 * HF's {@code position_ids} buffers are not parameters. Converted tensors are computed lazily from the source.
 */
public final class HuggingFaceNames {
    private static final Pattern HF_LAYER = Pattern.compile("(text_model|vision_model)\\.encoder\\.layers\\.(\\d+)\\.(.+)");
    private static final Pattern OPENAI_LAYER = Pattern.compile("(visual\\.)?transformer\\.resblocks\\.(\\d+)\\.(.+)");
    /** OpenAI name ↔ HF name outside the transformer blocks; projections are transposed. */
    private static final String[][] GLOBAL = {
        {"positional_embedding", "text_model.embeddings.position_embedding.weight"},
        {"text_projection", "text_projection.weight"},
        {"logit_scale", "logit_scale"},
        {"visual.class_embedding", "vision_model.embeddings.class_embedding"},
        {"visual.positional_embedding", "vision_model.embeddings.position_embedding.weight"},
        {"visual.proj", "visual_projection.weight"},
        {"visual.conv1.weight", "vision_model.embeddings.patch_embedding.weight"},
        {"visual.ln_pre.weight", "vision_model.pre_layrnorm.weight"},
        {"visual.ln_pre.bias", "vision_model.pre_layrnorm.bias"},
        {"visual.ln_post.weight", "vision_model.post_layernorm.weight"},
        {"visual.ln_post.bias", "vision_model.post_layernorm.bias"},
        {"token_embedding.weight", "text_model.embeddings.token_embedding.weight"},
        {"ln_final.weight", "text_model.final_layer_norm.weight"},
        {"ln_final.bias", "text_model.final_layer_norm.bias"},
    };
    /** Per-block suffixes, OpenAI ↔ HF, in OpenAI registration order (in_proj handled separately). */
    private static final String[][] BLOCK = {
        {"attn.out_proj.weight", "self_attn.out_proj.weight"},
        {"attn.out_proj.bias", "self_attn.out_proj.bias"},
        {"ln_1.weight", "layer_norm1.weight"},
        {"ln_1.bias", "layer_norm1.bias"},
        {"mlp.c_fc.weight", "mlp.fc1.weight"},
        {"mlp.c_fc.bias", "mlp.fc1.bias"},
        {"mlp.c_proj.weight", "mlp.fc2.weight"},
        {"mlp.c_proj.bias", "mlp.fc2.bias"},
        {"ln_2.weight", "layer_norm2.weight"},
        {"ln_2.bias", "layer_norm2.bias"},
    };

    private HuggingFaceNames() {
    }

    /** True when the keys are HF CLIPModel names. */
    public static boolean isHuggingFace(StateDict sd) {
        return sd.keys().stream().anyMatch(k -> k.startsWith("text_model.") || k.startsWith("vision_model."));
    }

    /** HF-named tensors → OpenAI-named tensors in OpenAI registration order; unknown or missing keys are errors. */
    public static StateDict toOpenAi(StateDict hf) {
        Set<String> unused = new LinkedHashSet<>(hf.keys());
        unused.removeIf(k -> k.endsWith("embeddings.position_ids"));
        TreeSet<Integer> visionLayers = new TreeSet<>();
        TreeSet<Integer> textLayers = new TreeSet<>();
        for (String k : hf.keys()) {
            Matcher m = HF_LAYER.matcher(k);
            if (m.matches()) {
                int layer = ClipConfig.layerIndex(hf.source(), k, m.group(2));
                (m.group(1).equals("text_model") ? textLayers : visionLayers).add(layer);
            }
        }
        List<String> missing = new ArrayList<>();
        StateDict out = new StateDict(hf.source());
        for (int g = 0; g < GLOBAL.length; g++) {
            if (GLOBAL[g][0].equals("visual.ln_post.weight")) {
                for (int i : visionLayers) {
                    block(hf, out, unused, missing, "vision_model.encoder.layers." + i + ".", "visual.transformer.resblocks." + i + ".");
                }
            }
            if (GLOBAL[g][0].equals("token_embedding.weight")) {
                for (int i : textLayers) {
                    block(hf, out, unused, missing, "text_model.encoder.layers." + i + ".", "transformer.resblocks." + i + ".");
                }
            }
            String openai = GLOBAL[g][0];
            WeightTensor t = take(hf, GLOBAL[g][1], unused, missing);
            if (t != null) {
                out.put(isProjection(openai) ? transposed(hf.source(), openai, t) : t.renamed(openai));
            }
        }
        if (!missing.isEmpty() || !unused.isEmpty()) {
            throw new WeightFileException(hf.source(), "is not a HuggingFace CLIPModel state dict:"
                    + (missing.isEmpty() ? "" : " missing keys " + missing)
                    + (unused.isEmpty() ? "" : " unexpected keys " + unused));
        }
        return out;
    }

    /** OpenAI-named tensors → HF CLIPModel names (q, k, v split; projections transposed). */
    public static StateDict toHuggingFace(StateDict openai) {
        Map<String, String> global = new java.util.HashMap<>();
        for (String[] p : GLOBAL) {
            global.put(p[0], p[1]);
        }
        StateDict out = new StateDict(openai.source());
        for (WeightTensor t : openai.tensors()) {
            String k = t.name();
            if (global.containsKey(k)) {
                String hfName = global.get(k);
                out.put(isProjection(k) ? transposed(openai.source(), hfName, t) : t.renamed(hfName));
                continue;
            }
            Matcher m = OPENAI_LAYER.matcher(k);
            if (!m.matches()) {
                throw new WeightFileException(openai.source(), k, "has no HuggingFace name");
            }
            String prefix = (m.group(1) == null ? "text_model" : "vision_model") + ".encoder.layers." + m.group(2) + ".";
            String suffix = m.group(3);
            if (suffix.equals("attn.in_proj_weight") || suffix.equals("attn.in_proj_bias")) {
                String kind = suffix.endsWith("weight") ? "weight" : "bias";
                int[] s = t.shape();
                if (s.length == 0 || s[0] % 3 != 0) {
                    throw new WeightFileException(openai.source(), k, "has shape " + Arrays.toString(s) + ", not 3 row blocks");
                }
                int[] part = s.clone();
                part[0] = s[0] / 3;
                int block = (int) (t.numel() / 3);
                String[] names = {"q_proj", "k_proj", "v_proj"};
                for (int j = 0; j < 3; j++) {
                    int from = j * block;
                    out.put(WeightTensor.computed(prefix + "self_attn." + names[j] + "." + kind, t.dtype(), part,
                            () -> Arrays.copyOfRange(t.toFloats(), from, from + block)));
                }
                continue;
            }
            String hfSuffix = null;
            for (String[] p : BLOCK) {
                if (p[0].equals(suffix)) {
                    hfSuffix = p[1];
                }
            }
            if (hfSuffix == null) {
                throw new WeightFileException(openai.source(), k, "has no HuggingFace name");
            }
            out.put(t.renamed(prefix + hfSuffix));
        }
        return out;
    }

    private static void block(StateDict hf, StateDict out, Set<String> unused, List<String> missing, String hfPrefix,
            String oaPrefix) {
        for (String kind : new String[] {"weight", "bias"}) {
            WeightTensor q = take(hf, hfPrefix + "self_attn.q_proj." + kind, unused, missing);
            WeightTensor k = take(hf, hfPrefix + "self_attn.k_proj." + kind, unused, missing);
            WeightTensor v = take(hf, hfPrefix + "self_attn.v_proj." + kind, unused, missing);
            if (q != null && k != null && v != null) {
                out.put(concatRows(hf.source(), oaPrefix + "attn.in_proj_" + kind, q, k, v));
            }
        }
        for (String[] p : BLOCK) {
            WeightTensor t = take(hf, hfPrefix + p[1], unused, missing);
            if (t != null) {
                out.put(t.renamed(oaPrefix + p[0]));
            }
        }
    }

    private static WeightTensor take(StateDict hf, String key, Set<String> unused, List<String> missing) {
        WeightTensor t = hf.get(key);
        if (t == null) {
            missing.add(key);
        }
        unused.remove(key);
        return t;
    }

    private static boolean isProjection(String openaiName) {
        return openaiName.equals("visual.proj") || openaiName.equals("text_projection");
    }

    private static WeightTensor concatRows(String where, String name, WeightTensor q, WeightTensor k, WeightTensor v) {
        int[] s = q.shape();
        if (s.length == 0 || !Arrays.equals(s, k.shape()) || !Arrays.equals(s, v.shape())) {
            throw new WeightFileException(where, q.name(), "q/k/v shapes differ: " + Arrays.toString(s) + ", "
                    + Arrays.toString(k.shape()) + ", " + Arrays.toString(v.shape()));
        }
        if (3 * q.numel() > WeightTensor.MAX_ELEMENTS) {
            throw new WeightFileException(where, name, "fused from q/k/v of shape " + Arrays.toString(s)
                    + " would have more elements than one array can hold");
        }
        int[] fused = s.clone();
        fused[0] = 3 * s[0];
        int n = (int) q.numel();
        return WeightTensor.computed(name, q.dtype(), fused, () -> {
            float[] out = new float[3 * n];
            System.arraycopy(q.toFloats(), 0, out, 0, n);
            System.arraycopy(k.toFloats(), 0, out, n, n);
            System.arraycopy(v.toFloats(), 0, out, 2 * n, n);
            return out;
        });
    }

    private static WeightTensor transposed(String where, String name, WeightTensor t) {
        int[] s = t.shape();
        if (s.length != 2) {
            throw new WeightFileException(where, t.name(), "has shape " + Arrays.toString(s) + ", expected a matrix");
        }
        int rows = s[0];
        int cols = s[1];
        return WeightTensor.computed(name, t.dtype(), new int[] {cols, rows}, () -> {
            float[] a = t.toFloats();
            float[] out = new float[a.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    out[c * rows + r] = a[r * cols + c];
                }
            }
            return out;
        });
    }
}
