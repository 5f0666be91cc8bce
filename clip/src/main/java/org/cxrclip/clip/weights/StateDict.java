package org.cxrclip.clip.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ordered map from parameter name to {@link WeightTensor}, remembering which file it came from so every lookup
 * error names the file and the key. Order is the file's order (for our own files: OpenAI registration order).
 */
public final class StateDict {
    private final String source;
    private final LinkedHashMap<String, WeightTensor> tensors = new LinkedHashMap<>();

    /** An empty state dict whose errors will name {@code source} (usually a file path). */
    public StateDict(String source) {
        this.source = source;
    }

    /** Adds a tensor under its own name; a duplicate name is an error. */
    public StateDict put(WeightTensor t) {
        if (tensors.putIfAbsent(t.name(), t) != null) {
            throw new WeightFileException(source, t.name(), "appears twice");
        }
        return this;
    }

    /** Where these tensors came from (for messages). */
    public String source() {
        return source;
    }

    public boolean contains(String key) {
        return tensors.containsKey(key);
    }

    /** The tensor, or null when absent. */
    public WeightTensor get(String key) {
        return tensors.get(key);
    }

    /** The tensor, or an error naming the file and the key. */
    public WeightTensor require(String key) {
        WeightTensor t = tensors.get(key);
        if (t == null) {
            throw new WeightFileException(source, key, "is missing (the file holds " + keysInBrief() + ")");
        }
        return t;
    }

    /** The keys for a message: all of them when few, else the first few in sorted order and the count. */
    private String keysInBrief() {
        final int shown = 8;
        List<String> sorted = new ArrayList<>(tensors.keySet());
        sorted.sort(null);
        if (sorted.isEmpty()) return "no tensors";
        if (sorted.size() <= shown) return String.join(", ", sorted);
        return tensors.size() + " tensors: " + String.join(", ", sorted.subList(0, shown)) + ", …";
    }

    /** The tensor, checked to have exactly the given shape; errors give expected and actual shapes. */
    public WeightTensor require(String key, int... shape) {
        WeightTensor t = require(key);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new WeightFileException(source, key, "has shape " + Arrays.toString(t.shape()) + ", expected "
                    + Arrays.toString(shape));
        }
        return t;
    }

    /** Names in order. */
    public Set<String> keys() {
        return java.util.Collections.unmodifiableSet(tensors.keySet());
    }

    public Collection<WeightTensor> tensors() {
        return java.util.Collections.unmodifiableCollection(tensors.values());
    }

    public int size() {
        return tensors.size();
    }

    /** Total number of elements over all tensors. */
    public long parameterCount() {
        long n = 0;
        for (WeightTensor t : tensors.values()) {
            n += t.numel();
        }
        return n;
    }

    /**
     * Checks that the keys and shapes are exactly {@code expected} (in any order): one error lists every missing key,
     * every unexpected key and every wrong shape.
     */
    public void requireExactly(Map<String, int[]> expected) {
        List<String> missing = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            WeightTensor t = tensors.get(e.getKey());
            if (t == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(t.shape(), e.getValue())) {
                wrong.add(e.getKey() + " " + Arrays.toString(t.shape()) + " (expected " + Arrays.toString(e.getValue())
                        + ")");
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String k : tensors.keySet()) {
            if (!expected.containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (missing.isEmpty() && unexpected.isEmpty() && wrong.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("does not match the expected CLIP layout:");
        if (!missing.isEmpty()) {
            sb.append(" missing keys ").append(abbreviate(missing)).append(';');
        }
        if (!unexpected.isEmpty()) {
            sb.append(" unexpected keys ").append(abbreviate(unexpected)).append(';');
        }
        if (!wrong.isEmpty()) {
            sb.append(" wrong shapes ").append(abbreviate(wrong)).append(';');
        }
        throw new WeightFileException(source, sb.substring(0, sb.length() - 1));
    }

    private static String abbreviate(List<String> items) {
        int show = Math.min(items.size(), 20);
        String head = String.join(", ", items.subList(0, show));
        return items.size() > show ? "[" + head + ", ... (" + items.size() + " in all)]" : "[" + head + "]";
    }

    @Override
    public String toString() {
        return "StateDict(" + source + ", " + tensors.size() + " tensors)";
    }
}
