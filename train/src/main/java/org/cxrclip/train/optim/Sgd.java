package org.cxrclip.train.optim;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.engine.Autograd;
import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Tensor;

/**
 * Stochastic gradient descent as {@code torch.optim.SGD} (CheXzero's default: momentum 0.9): per parameter with a
 * gradient, d = g + λ·p (coupled weight decay); with momentum μ the buffer b is d on the first step, else
 * b ← μ·b + (1 − dampening)·d; the step uses d + μ·b (Nesterov) or b; p ← p − lr·step.
 */
public final class Sgd implements Optimizer {
    static final String NAME = "sgd";
    private static final int GRAIN = 1 << 15;
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
    private final Map<String, float[]> buffers = new HashMap<>();
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
                float[] buf = momentum == 0 ? null : buffers.get(s.name);
                boolean first = momentum != 0 && buf == null;
                if (first) buffers.put(s.name, buf = new float[n]);
                float[] b = buf;
                s.update((p, pOff, gr, gOff, len) -> Parallel.forRange(len, GRAIN, (from, to) ->
                        kernel(p, pOff, gr, gOff, b, first, from, to, r, wd, mu, a, nesterov)));
            }
            step++;
        }
    }

    /** The update over [from, to): buf null means no momentum; first means buf is set to d rather than updated. */
    static void kernel(float[] p, int pOff, float[] g, int gOff, float[] buf, boolean first, int from, int to,
                       float lr, float weightDecay, float momentum, float oneMinusDampening, boolean nesterov) {
        for (int i = from; i < to; i++) {
            float d = g[gOff + i];
            if (weightDecay != 0) d = d + weightDecay * p[pOff + i];
            if (buf != null) {
                float b = first ? d : buf[i] * momentum + oneMinusDampening * d;
                buf[i] = b;
                d = nesterov ? d + momentum * b : b;
            }
            p[pOff + i] = p[pOff + i] - lr * d;
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
            float[] b = buffers.get(s.name);
            if (b != null) out.put(s.name + BUFFER, b);
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
            float[] b = state.buffer(s.name + BUFFER, s.param.numel());
            if (b != null) buffers.put(s.name, b);
        }
        step = state.step();
    }
}
