package org.cxrclip.train.trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cxrclip.clip.weights.SafetensorsReader;
import org.cxrclip.clip.weights.SafetensorsWriter;
import org.cxrclip.clip.weights.StateDict;
import org.cxrclip.clip.weights.WeightTensor;
import org.cxrclip.train.optim.OptimizerState;

/**
 * An {@link OptimizerState} as safetensors (optimizer.safetensors beside the model checkpoint): each buffer a
 * 1-D float32 tensor under its own name; the optimiser name, the step and each parameter's step count in the
 * string metadata (keys {@code optimizer}, {@code step}, {@code param_step.<name>}). Written atomically.
 */
public final class OptimizerCheckpoint {
    private static final String PARAM_STEP = "param_step.";

    private OptimizerCheckpoint() {}

    public static void save(OptimizerState state, Path file) throws IOException {
        StateDict sd = new StateDict(file.toString());
        for (var e : state.buffers().entrySet()) sd.put(WeightTensor.ofFloats(e.getKey(), e.getValue(), e.getValue().length));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("optimizer", state.optimizer());
        meta.put("step", Long.toString(state.step()));
        for (var e : state.paramSteps().entrySet()) meta.put(PARAM_STEP + e.getKey(), Long.toString(e.getValue()));
        SafetensorsWriter.write(file, sd, meta);
    }

    public static OptimizerState load(Path file) throws IOException {
        Map<String, String> meta = SafetensorsReader.metadata(file);
        String optimizer = meta.get("optimizer");
        if (optimizer == null) throw new IOException(file + ": no 'optimizer' metadata, not an optimiser state file");
        long step = parseLong(file, "step", meta.get("step"));
        Map<String, Long> paramSteps = new LinkedHashMap<>();
        for (var e : meta.entrySet())
            if (e.getKey().startsWith(PARAM_STEP))
                paramSteps.put(e.getKey().substring(PARAM_STEP.length()), parseLong(file, e.getKey(), e.getValue()));
        StateDict sd = SafetensorsReader.read(file);
        Map<String, float[]> buffers = new LinkedHashMap<>();
        for (WeightTensor t : sd.tensors()) buffers.put(t.name(), t.toFloats());
        return new OptimizerState(optimizer, step, paramSteps, buffers);
    }

    static long parseLong(Path file, String key, String value) throws IOException {
        if (value == null) throw new IOException(file + ": metadata key '" + key + "' is missing");
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": metadata key '" + key + "' is not an integer: '" + value + "'");
        }
    }
}
