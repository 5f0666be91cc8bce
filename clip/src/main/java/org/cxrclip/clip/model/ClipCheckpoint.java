package org.cxrclip.clip.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.cxrclip.clip.weights.ClipConfig;
import org.cxrclip.clip.weights.SafetensorsWriter;
import org.cxrclip.clip.weights.StateDict;
import org.cxrclip.clip.weights.WeightFiles;
import org.cxrclip.clip.weights.WeightTensor;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.nn.Module;

/**
 * Loads a {@link Clip} from any supported weight file (OpenAI .pt, TorchScript, torch.save state dicts such as
 * CheXzero's, HuggingFace or OpenAI safetensors): the architecture is inferred from the shapes as OpenAI's
 * build_model does, then every parameter is copied one tensor at a time from the mapped file. Saves as
 * OpenAI-named float32 safetensors, which every command reads back.
 */
public final class ClipCheckpoint {
    private ClipCheckpoint() {}

    public static Clip load(Path file, Backend backend) throws IOException {
        StateDict sd = WeightFiles.open(file);
        ClipConfig config = ClipConfig.inferAndValidate(sd);
        Clip model = new Clip(backend, config, 0);
        model.loadStateDict(source(sd));
        return model;
    }

    /** A random-init model from a preset, or a checkpoint: exactly one of the two must be given. */
    public static Clip loadOrCreate(Path weights, String preset, long seed, Backend backend) throws IOException {
        if ((weights == null) == (preset == null))
            throw new IllegalArgumentException("give either --weights FILE or --preset NAME (random initialisation)");
        return weights != null ? load(weights, backend) : new Clip(backend, ClipPresets.get(preset), seed);
    }

    public static void save(Clip model, Path file, Map<String, String> metadata) throws IOException {
        StateDict sd = new StateDict(file.toString());
        for (var e : model.namedParameters().entrySet()) {
            Tensor t = e.getValue();
            sd.put(WeightTensor.computed(e.getKey(), org.cxrclip.clip.weights.WeightDType.F32, t.shape(), t::toArray));
        }
        SafetensorsWriter.write(file, sd, metadata);
    }

    /** The state dict as the source {@link Module#loadStateDict} reads, decoding one tensor at a time. */
    public static Module.TensorSource source(StateDict sd) {
        return new Module.TensorSource() {
            @Override
            public Set<String> names() {
                return sd.keys();
            }

            @Override
            public int[] shape(String name) {
                return sd.require(name).shape();
            }

            @Override
            public float[] values(String name) {
                return sd.require(name).toFloats();
            }

            @Override
            public String describe() {
                return sd.source();
            }
        };
    }
}
