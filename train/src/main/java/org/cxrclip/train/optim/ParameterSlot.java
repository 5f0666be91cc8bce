package org.cxrclip.train.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.HostStorage;

/**
 * One parameter as an optimiser sees it: its name, tensor, whether it decays, its own step count and its
 * state buffers (host float arrays as long as the parameter). {@link #update} hands a kernel the parameter's
 * and gradient's float arrays: on a host backend the tensors' own arrays (+ offsets, updated in place), on any
 * other backend host copies that are written back afterwards (slow but correct, until a backend brings its own
 * kernel).
 */
final class ParameterSlot {
    final String name;
    final Tensor param;
    final boolean decays;
    long step;

    /** A kernel over p[pOff, pOff + n) and g[gOff, gOff + n). */
    @FunctionalInterface
    interface Kernel {
        void run(float[] p, int pOff, float[] g, int gOff, int n);
    }

    ParameterSlot(String name, Tensor param, boolean decays) {
        this.name = name;
        this.param = param;
        this.decays = decays;
    }

    static List<ParameterSlot> of(String optimizer, Map<String, Tensor> named, WeightDecayRule rule) {
        if (named == null || named.isEmpty()) throw new IllegalArgumentException(optimizer + ": no parameters to optimise");
        List<ParameterSlot> slots = new ArrayList<>(named.size());
        named.forEach((n, t) -> {
            if (t == null) throw new IllegalArgumentException(optimizer + ": parameter '" + n + "' is null");
            if (!t.isLeaf()) throw new IllegalArgumentException(optimizer + ": parameter '" + n + "' is not a leaf tensor");
            slots.add(new ParameterSlot(n, t, rule.decays(n, t)));
        });
        return slots;
    }

    /** The current gradient, or null if there is none this step. */
    Tensor grad() {
        return param.grad();
    }

    void update(Kernel kernel) {
        Tensor g = param.grad();
        int n = param.numel();
        boolean hostParam = param.storage() instanceof HostStorage, hostGrad = g.storage() instanceof HostStorage;
        float[] p = hostParam ? HostStorage.array(param) : param.toArray();
        float[] ga = hostGrad ? HostStorage.array(g) : g.toArray();
        kernel.run(p, hostParam ? param.offset() : 0, ga, hostGrad ? g.offset() : 0, n);
        if (!hostParam) param.assign(p);
    }
}
