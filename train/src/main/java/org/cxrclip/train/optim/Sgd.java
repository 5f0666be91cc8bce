package org.cxrclip.train.optim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.engine.Tensor;

/**
 * Stochastic gradient descent as {@code torch.optim.SGD} (CheXzero's default: momentum 0.9): per parameter with a
 * gradient, d = g + λ·p (coupled weight decay); with momentum μ the buffer b is d on the first step, else
 * b ← μ·b + (1 − dampening)·d; the step uses d + μ·b (Nesterov) or b; p ← p − lr·step. The momentum buffers
 * are flat tensors on the parameter's backend, updated by its {@link
 * org.cxrclip.engine.backend.OptimizerKernels#sgd} kernel (no copy through host memory).
 */
public final class Sgd extends SlotOptimizer {
    static final String NAME = "sgd";
    private static final String LABEL = "SGD", BUFFER = ".momentum_buffer";

    /** Hyper-parameters (lr and momentum may be changed later by schedules). */
    public record Config(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        public Config {
            checkLr(LABEL, lr);
            checkMomentumValue(momentum);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("SGD: weight decay must be >= 0, got " + weightDecay);
            if (nesterov && (momentum <= 0 || dampening != 0))
                throw new IllegalArgumentException("SGD: Nesterov momentum requires momentum > 0 and zero dampening");
        }

        /** CheXzero's optimiser: momentum 0.9, no weight decay. */
        public static Config chexzero(double lr) {
            return new Config(lr, 0.9, 0, 0, false);
        }
    }

    private final Map<String, Tensor> buffers = new HashMap<>();
    private final double dampening, weightDecay;
    private final boolean nesterov;

    public Sgd(Map<String, Tensor> namedParameters, Config config, WeightDecayRule decay) {
        super(NAME, LABEL, namedParameters, decay, config.lr(), config.momentum(), List.of(), List.of(BUFFER));
        this.dampening = config.dampening();
        this.weightDecay = config.weightDecay();
        this.nesterov = config.nesterov();
    }

    public Sgd(Map<String, Tensor> namedParameters, Config config) {
        this(namedParameters, config, WeightDecayRule.ALL);
    }

    private static void checkMomentumValue(double momentum) {
        if (!(momentum >= 0)) throw new IllegalArgumentException("SGD: momentum must be >= 0, got " + momentum);
    }

    @Override
    void checkMomentum(double momentum) {
        checkMomentumValue(momentum);
    }

    @Override
    void update(ParameterSlot s) {
        int n = s.param.numel();
        double momentum = momentum();
        float wd = (float) (s.decays ? weightDecay : 0), mu = (float) momentum, r = (float) lr();
        float a = (float) (1 - dampening);
        Tensor buf = momentum == 0 ? null : buffers.get(s.name);
        boolean first = momentum != 0 && buf == null;
        if (first) buffers.put(s.name, buf = s.param.newZeros(n));
        s.param.backend().optimizer().sgd(s.flatParam(), s.flatGrad(), buf, first, r, wd, mu, a, nesterov);
    }

    @Override
    void exportBuffers(ParameterSlot s, Map<String, float[]> out) {
        Tensor b = buffers.get(s.name);
        if (b != null) out.put(s.name + BUFFER, b.toArray());
    }

    @Override
    void clearBuffers() {
        buffers.clear();
    }

    @Override
    void importBuffers(ParameterSlot s, OptimizerState state) {
        int n = s.param.numel();
        float[] b = state.buffer(s.name + BUFFER, n);
        if (b != null) buffers.put(s.name, Tensor.of(s.param.backend(), b, n));
    }
}
