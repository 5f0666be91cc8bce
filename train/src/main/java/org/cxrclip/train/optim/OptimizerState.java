package org.cxrclip.train.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimiser's resumable state: which optimiser, the number of steps taken, each parameter's own step count
 * (torch keeps one per parameter: a parameter without a gradient does not advance) and the named buffers
 * ({@code "<param>.exp_avg"}, {@code "<param>.exp_avg_sq"}, {@code "<param>.momentum_buffer"}), each as long as its
 * parameter. Plain maps of arrays so the trainer can store them in safetensors/JSON without knowing the optimiser.
 */
public record OptimizerState(String optimizer, long step, Map<String, Long> paramSteps, Map<String, float[]> buffers) {
    public OptimizerState {
        if (optimizer == null || optimizer.isBlank()) throw new IllegalArgumentException("optimizer state: no optimizer name");
        if (step < 0) throw new IllegalArgumentException("optimizer state: step " + step + " < 0");
        paramSteps = Map.copyOf(paramSteps);
        LinkedHashMap<String, float[]> copy = new LinkedHashMap<>();
        buffers.forEach((k, v) -> copy.put(k, v.clone()));
        buffers = java.util.Collections.unmodifiableMap(copy);
    }

    /** The buffer's values (a copy), or a clear error naming the key and the optimiser. */
    float[] buffer(String key, int expectedLength) {
        float[] v = buffers.get(key);
        if (v == null) return null;
        if (v.length != expectedLength)
            throw new IllegalArgumentException(optimizer + " state: buffer '" + key + "' has " + v.length
                    + " values but the parameter has " + expectedLength);
        return v.clone();
    }
}
