package org.cxrclip.train.optim;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.engine.Autograd;
import org.cxrclip.engine.Tensor;

/**
 * Stochastic gradient descent as {@code torch.optim.SGD} (CheXzero's default: momentum 0.9): per parameter with a
 * gradient, d = g + λ·p (coupled weight decay); with momentum μ the buffer b is d on the first step, else
 * b ← μ·b + (1 − dampening)·d; the step uses d + μ·b (Nesterov) or b; p ← p − lr·step. The momentum buffers
 * are flat tensors on the parameter's backend, updated by its {@link
 * org.cxrclip.engine.backend.OptimizerKernels#sgd} kernel (no copy through host memory).
 */
public final class Sgd implements Optimizer {
    static final String NAME = "sgd";
    private static final String BUFFER = ".momentum_buffer";

    /** Hyper-parameters (lr and momentum may be changed later by schedules). */
    public record Config(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        public Config {
            if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("SGD: lr must be finite and >= 0, got " + lr);
            if (!(momentum >= 0)) throw new IllegalArgumentException("SGD: momentum must be >= 0, got " + momentum);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("SGD: weight decay must be >= 0, got " + weightDecay);
            if (nesterov && (momentum <= 0 || dampening != 0))
                throw new IllegalArgumentException("SGD: Nesterov momentum requires momentum > 0 and zero dampening");
        }

        /** CheXzero's optimiser: momentum 0.9, no weight decay. */
        public static Config chexzero(double lr) {
            return new Config(lr, 0.9, 0, 0, false);
        }
    }

    private final List<ParameterSlot> slots;
    private final Map<String, Tensor> buffers = new HashMap<>();
    private final double dampening, weightDecay;
    private final boolean nesterov;
    private double lr, momentum;
    private long step;

    public Sgd(Map<String, Tensor> namedParameters, Config config, WeightDecayRule decay) {
        this.slots = ParameterSlot.of(NAME, namedParameters, decay);
        this.lr = config.lr();
        this.momentum = config.momentum();
        this.dampening = config.dampening();
        this.weightDecay = config.weightDecay();
        this.nesterov = config.nesterov();
    }

    public Sgd(Map<String, Tensor> namedParameters, Config config) {
        this(namedParameters, config, WeightDecayRule.ALL);
    }

    @Override
    public void step() {
        try (var g = Autograd.noGrad()) {
            for (ParameterSlot s : slots) {
                if (s.grad() == null) continue;
                s.step++;
                int n = s.param.numel();
                float wd = (float) (s.decays ? weightDecay : 0), mu = (float) momentum, r = (float) lr;
                float a = (float) (1 - dampening);
                Tensor buf = momentum == 0 ? null : buffers.get(s.name);
                boolean first = momentum != 0 && buf == null;
                if (first) buffers.put(s.name, buf = s.param.newZeros(n));
                s.param.backend().optimizer().sgd(s.flatParam(), s.flatGrad(), buf, first, r, wd, mu, a, nesterov);
            }
            step++;
        }
    }

    @Override
    public void zeroGrad() {
        for (ParameterSlot s : slots) s.param.zeroGrad();
    }

    @Override
    public double lr() {
        return lr;
    }

    @Override
    public void setLr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("SGD: lr must be finite and >= 0, got " + lr);
        this.lr = lr;
    }

    @Override
    public double momentum() {
        return momentum;
    }

    @Override
    public void setMomentum(double momentum) {
        if (!(momentum >= 0)) throw new IllegalArgumentException("SGD: momentum must be >= 0, got " + momentum);
        this.momentum = momentum;
    }

    @Override
    public long stepCount() {
        return step;
    }

    @Override
    public OptimizerState state() {
        Map<String, Long> steps = new LinkedHashMap<>();
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ParameterSlot s : slots) {
            if (s.step == 0) continue;
            steps.put(s.name, s.step);
            Tensor b = buffers.get(s.name);
            if (b != null) out.put(s.name + BUFFER, b.toArray());
        }
        return new OptimizerState(NAME, step, steps, out);
    }

    @Override
    public void loadState(OptimizerState state) {
        OptimizerStates.checkKeys(NAME, state, slots, List.of(), List.of(BUFFER));
        buffers.clear();
        for (ParameterSlot s : slots) {
            Long t = state.paramSteps().get(s.name);
            s.step = t == null ? 0 : t;
            int n = s.param.numel();
            float[] b = state.buffer(s.name + BUFFER, n);
            if (b != null) buffers.put(s.name, Tensor.of(s.param.backend(), b, n));
        }
        step = state.step();
    }
}
