package org.cxrclip.apps;

import java.io.IOException;
import java.nio.file.Path;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipCheckpoint;
import org.cxrclip.engine.backend.Backends;
import picocli.CommandLine.Option;

/** Where a command's CLIP comes from: a weight file, or a preset with random weights. */
final class ModelOptions {
    @Option(names = "--weights", paramLabel = "FILE",
            description = "CLIP weights: OpenAI .pt (TorchScript), torch.save state dict (e.g. CheXzero), "
                    + "HuggingFace or OpenAI safetensors.")
    Path weights;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "Random-initialised model instead of --weights: ViT-B/32, small or tiny.")
    String preset;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for --preset initialisation (default ${DEFAULT-VALUE}).")
    long seed;

    /** Fails early (before any slow work) when neither or both of --weights and --preset are given. */
    void validate() {
        if ((weights == null) == (preset == null))
            throw new IllegalArgumentException("give either --weights FILE or --preset NAME (random initialisation)");
    }

    Clip load() throws IOException {
        return ClipCheckpoint.loadOrCreate(weights, preset, seed, Backends.defaultBackend());
    }

    String describe() {
        return weights != null ? weights.toString() : "preset " + preset + " seed " + seed;
    }
}
