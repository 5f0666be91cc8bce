package org.cxrclip.train.optim;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.cxrclip.engine.Autograd;
import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Tensor;

/**
 * Adam with decoupled weight decay, exactly as {@code torch.optim.AdamW} (1.13, amsgrad off): per parameter with
 * a gradient, t += 1; p ← p·(1 − lr·λ); m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
 * p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε). β1 is read at each step, so OneCycle's momentum cycling
 * changes the bias correction too, as in torch. Moments live in host arrays; the update is
 * {@link #kernel}, parallel over element ranges of large parameters.
 */
public final class AdamW implements Optimizer {
    static final String NAME = "adamw";
    /** Elements per parallel chunk: below this a parameter is updated on the calling thread. */
    private static final int GRAIN = 1 << 15;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

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
    private final Map<String, float[]> expAvg = new HashMap<>(), expAvgSq = new HashMap<>();
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
                if (s.grad() == null) continue;
                int n = s.param.numel();
                float[] m = expAvg.computeIfAbsent(s.name, k -> new float[n]);
                float[] v = expAvgSq.computeIfAbsent(s.name, k -> new float[n]);
                long t = ++s.step;
                // Scalars as torch computes them: Python doubles, then used in float32 tensor ops.
                double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
                float decayFactor = (float) (1 - lr * (s.decays ? weightDecay : 0));
                float stepSize = (float) (lr / bc1), bc2Sqrt = (float) Math.sqrt(bc2);
                float b1 = (float) beta1, b2 = (float) beta2, e = (float) eps;
                s.update((p, pOff, gr, gOff, len) -> Parallel.forRange(len, GRAIN, (from, to) ->
                        kernel(p, pOff, gr, gOff, m, v, from, to, decayFactor, b1, b2, e, stepSize, bc2Sqrt)));
            }
            step++;
        }
    }

    /**
     * The update over elements [from, to): p (param, at pOff), g (grad, at gOff), m and v (moments, at 0).
     * decayFactor = 1 − lr·λ, stepSize = lr/(1 − β1ᵗ), bc2Sqrt = √(1 − β2ᵗ).
     */
    static void kernel(float[] p, int pOff, float[] g, int gOff, float[] m, float[] v, int from, int to,
                       float decayFactor, float beta1, float beta2, float eps, float stepSize, float bc2Sqrt) {
        float a1 = 1 - beta1, a2 = 1 - beta2;
        // The vector body does the same float operations in the same order as the scalar tail (no fma):
        // an element's update does not depend on where a chunk boundary falls.
        int i = from, up = from + SPECIES.loopBound(to - from);
        for (; i < up; i += SPECIES.length()) {
            FloatVector gi = FloatVector.fromArray(SPECIES, g, gOff + i);
            FloatVector mi = FloatVector.fromArray(SPECIES, m, i).mul(beta1).add(gi.mul(a1));
            FloatVector vi = FloatVector.fromArray(SPECIES, v, i).mul(beta2).add(gi.mul(gi).mul(a2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector denom = vi.sqrt().div(bc2Sqrt).add(eps);
            FloatVector.fromArray(SPECIES, p, pOff + i).mul(decayFactor).sub(mi.div(denom).mul(stepSize))
                    .intoArray(p, pOff + i);
        }
        for (; i < to; i++) {
            float gi = g[gOff + i];
            float mi = m[i] * beta1 + gi * a1;
            float vi = v[i] * beta2 + gi * gi * a2;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            p[pOff + i] = p[pOff + i] * decayFactor - stepSize * (mi / denom);
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
            buffers.put(s.name + ".exp_avg", expAvg.get(s.name));
            buffers.put(s.name + ".exp_avg_sq", expAvgSq.get(s.name));
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
            expAvg.put(s.name, state.buffer(s.name + ".exp_avg", s.param.numel()));
            expAvgSq.put(s.name, state.buffer(s.name + ".exp_avg_sq", s.param.numel()));
        }
        step = state.step();
    }
}
