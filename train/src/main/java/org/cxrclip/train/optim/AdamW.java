package org.cxrclip.train.optim;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.engine.Autograd;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.OptimizerKernels;
import org.cxrclip.engine.backend.OptimizerKernels.AdamWScalars;

/**
 * Adam with decoupled weight decay, exactly as {@code torch.optim.AdamW} (1.13, amsgrad off): per parameter with
 * a gradient, t += 1; p ← p·(1 − lr·λ); m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
 * p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε). β1 is read at each step, so OneCycle's momentum cycling
 * changes the bias correction too, as in torch. The moments are flat tensors on the parameter's backend and the
 * update is that backend's {@link OptimizerKernels#adamw} kernel: on a GPU backend parameters and moments never
 * leave device memory (only {@link #state()} copies the moments out, for a checkpoint).
 */
public final class AdamW implements Optimizer {
    static final String NAME = "adamw";

    /** Hyper-parameters (β1 and lr may be changed later by schedules). */
    public record Config(double lr, double beta1, double beta2, double eps, double weightDecay) {
        public Config {
            if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("AdamW: lr must be finite and >= 0, got " + lr);
            if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("AdamW: beta1 must be in [0, 1), got " + beta1);
            if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("AdamW: beta2 must be in [0, 1), got " + beta2);
            if (!(eps >= 0)) throw new IllegalArgumentException("AdamW: eps must be >= 0, got " + eps);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("AdamW: weight decay must be >= 0, got " + weightDecay);
        }

        /** torch.optim.AdamW's defaults: β (0.9, 0.999), ε 1e-8, weight decay 1e-2. */
        public static Config torchDefaults(double lr) {
            return new Config(lr, 0.9, 0.999, 1e-8, 1e-2);
        }

        /** The thesis (Language over Labels) code: β (0.9, 0.98), ε 1e-6, weight decay 0.2. */
        public static Config thesis(double lr) {
            return new Config(lr, 0.9, 0.98, 1e-6, 0.2);
        }
    }

    private final List<ParameterSlot> slots;
    private final Map<String, Tensor> expAvg = new HashMap<>(), expAvgSq = new HashMap<>();
    private final double beta2, eps, weightDecay;
    private double lr, beta1;
    private long step;

    public AdamW(Map<String, Tensor> namedParameters, Config config, WeightDecayRule decay) {
        this.slots = ParameterSlot.of(NAME, namedParameters, decay);
        this.lr = config.lr();
        this.beta1 = config.beta1();
        this.beta2 = config.beta2();
        this.eps = config.eps();
        this.weightDecay = config.weightDecay();
    }

    /** All parameters decay (torch's single group). */
    public AdamW(Map<String, Tensor> namedParameters, Config config) {
        this(namedParameters, config, WeightDecayRule.ALL);
    }

    @Override
    public void step() {
        try (var g = Autograd.noGrad()) {
            for (ParameterSlot s : slots) {
                Tensor grad = s.grad();
                if (grad == null) continue;
                int n = s.param.numel();
                Tensor m = expAvg.computeIfAbsent(s.name, k -> s.param.newZeros(n));
                Tensor v = expAvgSq.computeIfAbsent(s.name, k -> s.param.newZeros(n));
                long t = ++s.step;
                AdamWScalars scalars = AdamWScalars.of(lr, beta1, beta2, eps, s.decays ? weightDecay : 0, t);
                OptimizerKernels kernels = s.param.backend().optimizer();
                kernels.adamw(s.flatParam(), s.flatGrad(), m, v, scalars);
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
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("AdamW: lr must be finite and >= 0, got " + lr);
        this.lr = lr;
    }

    /** β1. */
    @Override
    public double momentum() {
        return beta1;
    }

    @Override
    public void setMomentum(double beta1) {
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("AdamW: beta1 must be in [0, 1), got " + beta1);
        this.beta1 = beta1;
    }

    @Override
    public long stepCount() {
        return step;
    }

    @Override
    public OptimizerState state() {
        Map<String, Long> steps = new LinkedHashMap<>();
        Map<String, float[]> buffers = new LinkedHashMap<>();
        for (ParameterSlot s : slots) {
            if (s.step == 0) continue;
            steps.put(s.name, s.step);
            buffers.put(s.name + ".exp_avg", expAvg.get(s.name).toArray());
            buffers.put(s.name + ".exp_avg_sq", expAvgSq.get(s.name).toArray());
        }
        return new OptimizerState(NAME, step, steps, buffers);
    }

    @Override
    public void loadState(OptimizerState state) {
        OptimizerStates.checkKeys(NAME, state, slots, List.of(".exp_avg", ".exp_avg_sq"), List.of());
        expAvg.clear();
        expAvgSq.clear();
        for (ParameterSlot s : slots) {
            Long t = state.paramSteps().get(s.name);
            s.step = t == null ? 0 : t;
            if (t == null) continue;
            int n = s.param.numel();
            expAvg.put(s.name, Tensor.of(s.param.backend(), state.buffer(s.name + ".exp_avg", n), n));
            expAvgSq.put(s.name, Tensor.of(s.param.backend(), state.buffer(s.name + ".exp_avg_sq", n), n));
        }
        step = state.step();
    }
}
