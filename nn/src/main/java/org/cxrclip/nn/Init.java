package org.cxrclip.nn;

import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;

/** Seeded parameter initialisers with PyTorch's formulas (so random-init models match its statistics). */
public final class Init {
    private Init() {}

    public static void normal(Tensor t, Rng rng, double std) {
        float[] v = new float[t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * std);
        t.assign(v);
    }

    public static void uniform(Tensor t, Rng rng, double bound) {
        float[] v = new float[t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        t.assign(v);
    }

    /** torch's default Linear init, kaiming_uniform(a=√5): U(±1/√fanIn) for weight (out, in) and bias. */
    public static void linearDefault(Tensor weight, Tensor bias, Rng rng) {
        double bound = 1 / Math.sqrt(weight.dim(1));
        uniform(weight, rng, bound);
        if (bias != null) uniform(bias, rng, bound);
    }

    /** xavier_uniform for a (fanOut, fanIn) matrix: U(±√(6/(fanIn+fanOut))). */
    public static void xavierUniform(Tensor weight, Rng rng) {
        uniform(weight, rng, Math.sqrt(6.0 / (weight.dim(0) + weight.dim(1))));
    }

    public static void constant(Tensor t, float value) {
        float[] v = new float[t.numel()];
        java.util.Arrays.fill(v, value);
        t.assign(v);
    }
}
