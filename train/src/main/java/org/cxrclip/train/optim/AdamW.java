package org.cxrclip.train.optim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
public final class AdamW extends SlotOptimizer {
    static final String NAME = "adamw";
    private static final String LABEL = "AdamW", EXP_AVG = ".exp_avg", EXP_AVG_SQ = ".exp_avg_sq";

    /** Hyper-parameters (β1 and lr may be changed later by schedules). */
    public record Config(double lr, double beta1, double beta2, double eps, double weightDecay) {
        public Config {
            checkLr(LABEL, lr);
            checkBeta1(beta1);
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

    private final Map<String, Tensor> expAvg = new HashMap<>(), expAvgSq = new HashMap<>();
    private final double beta2, eps, weightDecay;

    /** {@link #momentum()} is β1. */
    public AdamW(Map<String, Tensor> namedParameters, Config config, WeightDecayRule decay) {
        super(NAME, LABEL, namedParameters, decay, config.lr(), config.beta1(), List.of(EXP_AVG, EXP_AVG_SQ), List.of());
        this.beta2 = config.beta2();
        this.eps = config.eps();
        this.weightDecay = config.weightDecay();
    }

    /** All parameters decay (torch's single group). */
    public AdamW(Map<String, Tensor> namedParameters, Config config) {
        this(namedParameters, config, WeightDecayRule.ALL);
    }

    private static void checkBeta1(double beta1) {
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("AdamW: beta1 must be in [0, 1), got " + beta1);
    }

    @Override
    void checkMomentum(double beta1) {
        checkBeta1(beta1);
    }

    @Override
    void update(ParameterSlot s) {
        int n = s.param.numel();
        Tensor m = expAvg.computeIfAbsent(s.name, k -> s.param.newZeros(n));
        Tensor v = expAvgSq.computeIfAbsent(s.name, k -> s.param.newZeros(n));
        AdamWScalars scalars = AdamWScalars.of(lr(), momentum(), beta2, eps, s.decays ? weightDecay : 0, s.step);
        OptimizerKernels kernels = s.param.backend().optimizer();
        kernels.adamw(s.flatParam(), s.flatGrad(), m, v, scalars);
    }

    @Override
    void exportBuffers(ParameterSlot s, Map<String, float[]> out) {
        out.put(s.name + EXP_AVG, expAvg.get(s.name).toArray());
        out.put(s.name + EXP_AVG_SQ, expAvgSq.get(s.name).toArray());
    }

    @Override
    void clearBuffers() {
        expAvg.clear();
        expAvgSq.clear();
    }

    @Override
    void importBuffers(ParameterSlot s, OptimizerState state) {
        int n = s.param.numel();
        expAvg.put(s.name, Tensor.of(s.param.backend(), state.buffer(s.name + EXP_AVG, n), n));
        expAvgSq.put(s.name, Tensor.of(s.param.backend(), state.buffer(s.name + EXP_AVG_SQ, n), n));
    }
}
