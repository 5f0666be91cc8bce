package org.cxrclip.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cxrclip.engine.Tensor;

/**
 * A network component with named parameters and named sub-modules. Names compose with dots, in registration
 * order, so a parameter's full name equals its checkpoint key (e.g. {@code transformer.resblocks.3.ln_1.weight})
 * and a reader can follow a weight from file to use. Parameters are leaf tensors that require gradients.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();

    /** Registers a parameter under {@code name}; returns it (marked as requiring a gradient). */
    protected final Tensor parameter(String name, Tensor value) {
        checkName(name);
        parameters.put(name, value.requiresGrad(true));
        return value;
    }

    /** Registers a sub-module under {@code name}; returns it. */
    protected final <M extends Module> M child(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) throw new IllegalArgumentException("bad module entry name '" + name + "'");
        if (parameters.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException("'" + name + "' is already registered in " + getClass().getSimpleName());
    }

    /** Every parameter under its dotted name, in registration order (depth first). */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out) {
        parameters.forEach((n, t) -> out.put(prefix + n, t));
        children.forEach((n, m) -> m.collect(prefix + n + ".", out));
    }

    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Total number of parameter values. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) n += t.numel();
        return n;
    }

    public final void zeroGrad() {
        for (Tensor t : namedParameters().values()) t.zeroGrad();
    }

    /** Where {@link #loadStateDict} reads values from: a checkpoint, decoded one tensor at a time. */
    public interface TensorSource {
        Set<String> names();

        int[] shape(String name);

        /** The values of one tensor as float32, row-major. */
        float[] values(String name);

        /** Names the source in error messages (usually a file path). */
        String describe();
    }

    /**
     * Copies every parameter's values from {@code source}. Strict: a missing key, an unexpected key or a shape
     * mismatch is an error listing all problems; nothing is half-loaded (all checks run before any copy).
     */
    public final void loadStateDict(TensorSource source) {
        Map<String, Tensor> own = namedParameters();
        List<String> problems = new ArrayList<>();
        Set<String> unexpected = new LinkedHashSet<>(source.names());
        for (var e : own.entrySet()) {
            String name = e.getKey();
            if (!unexpected.remove(name)) {
                problems.add("missing key " + name + " " + Arrays.toString(e.getValue().shape()));
                continue;
            }
            int[] shape = source.shape(name);
            if (!Arrays.equals(shape, e.getValue().shape()))
                problems.add("key " + name + ": expected shape " + Arrays.toString(e.getValue().shape())
                        + " but the file has " + Arrays.toString(shape));
        }
        for (String u : unexpected) problems.add("unexpected key " + u + " " + Arrays.toString(source.shape(u)));
        if (!problems.isEmpty()) {
            int shown = Math.min(problems.size(), 20);
            throw new IllegalArgumentException(source.describe() + ": " + problems.size()
                    + " problem(s) loading " + getClass().getSimpleName() + ":\n  "
                    + String.join("\n  ", problems.subList(0, shown))
                    + (problems.size() > shown ? "\n  ... and " + (problems.size() - shown) + " more" : ""));
        }
        for (var e : own.entrySet()) e.getValue().assign(source.values(e.getKey()));
    }

    /** A {@link TensorSource} over in-memory tensors (tests, and copying one module into another). */
    public static TensorSource sourceOf(Map<String, Tensor> tensors, String description) {
        return new TensorSource() {
            @Override
            public Set<String> names() {
                return tensors.keySet();
            }

            @Override
            public int[] shape(String name) {
                return tensors.get(name).shape();
            }

            @Override
            public float[] values(String name) {
                return tensors.get(name).toArray();
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
