package org.cxrclip.train.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.engine.Autograd;
import org.cxrclip.engine.Tensor;

/**
 * What {@link AdamW} and {@link Sgd} share: the parameter slots, the learning rate and momentum the schedules
 * drive, the step counters (one overall, one per parameter as in torch) and the state's step bookkeeping. A
 * subclass supplies only its update rule ({@link #update}), how its momentum is validated and which per-parameter
 * buffers it keeps ({@link #exportBuffers}, {@link #importBuffers}).
 */
abstract sealed class SlotOptimizer implements Optimizer permits AdamW, Sgd {
    final List<ParameterSlot> slots;
    private final String name, label;
    private final List<String> bufferSuffixes, optionalBufferSuffixes;
    private double lr, momentum;
    private long step;

    /**
     * @param name the state's optimizer name ({@code "adamw"}), also used in slot errors
     * @param label the name error messages use ({@code "AdamW"})
     * @param bufferSuffixes buffers every stepped parameter must have in a loaded state
     * @param optionalBufferSuffixes buffers a stepped parameter may have
     */
    SlotOptimizer(String name, String label, Map<String, Tensor> namedParameters, WeightDecayRule decay, double lr,
                  double momentum, List<String> bufferSuffixes, List<String> optionalBufferSuffixes) {
        this.slots = ParameterSlot.of(name, namedParameters, decay);
        this.name = name;
        this.label = label;
        this.lr = lr;
        this.momentum = momentum;
        this.bufferSuffixes = bufferSuffixes;
        this.optionalBufferSuffixes = optionalBufferSuffixes;
    }

    /** The check both a Config and {@link #setLr} make, so they report a bad lr the same way. */
    static void checkLr(String label, double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException(label + ": lr must be finite and >= 0, got " + lr);
    }

    /** Throws if this optimiser cannot take {@code momentum} (its Config makes the same check). */
    abstract void checkMomentum(double momentum);

    /**
     * Updates one parameter that has a gradient, in place; {@code s.step} has already been advanced, so it is
     * this update's t.
     */
    abstract void update(ParameterSlot s);

    /** Puts the buffers of a parameter that has stepped into {@code out}, keyed {@code name + suffix}. */
    abstract void exportBuffers(ParameterSlot s, Map<String, float[]> out);

    /** Forgets every buffer, before a state is loaded. */
    abstract void clearBuffers();

    /** Loads the buffers of a parameter that has stepped from a state whose keys have been checked. */
    abstract void importBuffers(ParameterSlot s, OptimizerState state);

    @Override
    public final void step() {
        try (var g = Autograd.noGrad()) {
            for (ParameterSlot s : slots) {
                if (s.grad() == null) continue;
                s.step++;
                update(s);
            }
            step++;
        }
    }

    @Override
    public final void zeroGrad() {
        for (ParameterSlot s : slots) s.param.zeroGrad();
    }

    @Override
    public final double lr() {
        return lr;
    }

    @Override
    public final void setLr(double lr) {
        checkLr(label, lr);
        this.lr = lr;
    }

    @Override
    public final double momentum() {
        return momentum;
    }

    @Override
    public final void setMomentum(double momentum) {
        checkMomentum(momentum);
        this.momentum = momentum;
    }

    @Override
    public final long stepCount() {
        return step;
    }

    @Override
    public final OptimizerState state() {
        Map<String, Long> steps = new LinkedHashMap<>();
        Map<String, float[]> buffers = new LinkedHashMap<>();
        for (ParameterSlot s : slots) {
            if (s.step == 0) continue;
            steps.put(s.name, s.step);
            exportBuffers(s, buffers);
        }
        return new OptimizerState(name, step, steps, buffers);
    }

    @Override
    public final void loadState(OptimizerState state) {
        OptimizerStates.checkKeys(name, state, slots, bufferSuffixes, optionalBufferSuffixes);
        clearBuffers();
        for (ParameterSlot s : slots) {
            Long t = state.paramSteps().get(s.name);
            s.step = t == null ? 0 : t;
            if (t != null) importBuffers(s, state);
        }
        step = state.step();
    }
}
