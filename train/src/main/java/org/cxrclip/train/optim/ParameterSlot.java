package org.cxrclip.train.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cxrclip.engine.Tensor;

/**
 * One parameter as an optimiser sees it: its name, tensor, whether it decays and its own step count. The update
 * itself is a kernel of the parameter's backend ({@link org.cxrclip.engine.backend.OptimizerKernels}), given flat
 * views of the parameter and its gradient, so the optimisers never copy parameters through host memory.
 */
final class ParameterSlot {
    final String name;
    final Tensor param;
    final boolean decays;
    long step;

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

    /** The parameter as a flat (numel) view: updated in place by the kernels. */
    Tensor flatParam() {
        return param.view(param.numel());
    }

    /**
     * The gradient as a flat view on the parameter's backend. A gradient that lives elsewhere (a caller mixing
     * backends) is copied over once, with a clear error if the sizes disagree.
     */
    Tensor flatGrad() {
        Tensor g = param.grad();
        if (g.numel() != param.numel())
            throw new IllegalArgumentException("parameter '" + name + "' has " + param.numel() + " values but its gradient "
                    + g.numel());
        return g.to(param.backend()).view(param.numel());
    }
}
