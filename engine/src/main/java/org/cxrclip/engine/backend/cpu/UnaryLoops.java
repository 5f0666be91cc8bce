package org.cxrclip.engine.backend.cpu;

import static org.cxrclip.engine.backend.cpu.VectorLoops.L;
import static org.cxrclip.engine.backend.cpu.VectorLoops.S;
import static org.cxrclip.engine.backend.cpu.VectorLoops.ld;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.cxrclip.engine.backend.UnaryOp;

/**
 * SIMD loops of the {@link UnaryOp} functions and their gradients over one contiguous run. exp, log and tanh
 * are {@link VectorMath}'s (≈2 ulp, the same bits in every JIT tier, unlike the Vector API's SVML calls); GELU_ERF (table erf, see {@link FastErf})
 * and POW with a general exponent run as scalar loops. Scalar tails use the same float formulas as the vector
 * body.
 */
final class UnaryLoops {
    private UnaryLoops() {}

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
    private static final float GELU_C = 0.044715f;
    private static final float QG = 1.702f;
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    // o (n) = f(x (n))
    static void forward(UnaryOp op, float p0, float p1, float[] x, int xo, float[] o, int oo, int n) {
        int up = S.loopBound(n);
        int i = switch (op) {
            case NEG -> fwdNeg(p0, p1, x, xo, o, oo, up);
            case EXP -> fwdExp(p0, p1, x, xo, o, oo, up);
            case LOG -> fwdLog(p0, p1, x, xo, o, oo, up);
            case SQRT -> fwdSqrt(p0, p1, x, xo, o, oo, up);
            case TANH -> fwdTanh(p0, p1, x, xo, o, oo, up);
            case SIGMOID -> fwdSigmoid(p0, p1, x, xo, o, oo, up);
            case RELU -> fwdRelu(p0, p1, x, xo, o, oo, up);
            case GELU_TANH -> fwdGeluTanh(p0, p1, x, xo, o, oo, up);
            case QUICK_GELU -> fwdQuickGelu(p0, p1, x, xo, o, oo, up);
            case CLAMP -> fwdClamp(p0, p1, x, xo, o, oo, up);
            case AFFINE -> fwdAffine(p0, p1, x, xo, o, oo, up);
            case ABS -> fwdAbs(p0, p1, x, xo, o, oo, up);
            case POW -> fwdPow(p0, p1, x, xo, o, oo, up);
            default -> 0;
        };
        for (; i < n; i++) o[oo + i] = forward(op, p0, p1, x[xo + i]);
    }

    static float forward(UnaryOp op, float p0, float p1, float x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> VectorMath.exp(x);
            case LOG -> VectorMath.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case TANH -> VectorMath.tanh(x);
            case SIGMOID -> 1f / (VectorMath.exp(-x) + 1f);
            case RELU -> Math.max(x, 0f);
            case GELU_ERF -> (float) (x * FastErf.normalCdf(x));
            case GELU_TANH -> (VectorMath.tanh(Math.fma(x * x, GELU_C, 1f) * x * SQRT_2_OVER_PI) + 1f) * x * 0.5f;
            case QUICK_GELU -> x / (VectorMath.exp(x * -QG) + 1f);
            case POW -> p0 == 2f ? x * x : (float) Math.pow(x, p0);
            case CLAMP -> Math.min(Math.max(x, p0), p1);
            case AFFINE -> Math.fma(p0, x, p1);
            case ABS -> Math.abs(x);
        };
    }

    // gi (n) = g (n) · f'(x (n)), y (n) = f(x) saved by the forward pass
    static void backward(UnaryOp op, float p0, float p1, float[] x, int xo, float[] y, int yo,
                         float[] g, int go, float[] gi, int io, int n) {
        int up = S.loopBound(n);
        int i = switch (op) {
            case NEG -> bwdNeg(p0, p1, x, xo, y, yo, g, go, gi, io, up);
            case EXP -> bwdExp(p0, p1, x, xo, y, yo, g, go, gi, io, up);
            case LOG -> bwdLog(p0, p1, x, xo, y, yo, g, go, gi, io, up);
            case SQRT -> bwdSqrt(p0, p1, x, xo, y, yo, g, go, gi, io, up);
            case TANH -> bwdTanh(p0, p1, x, xo, y, yo, g, go, gi, io, up);
            case SIGMOID -> bwdSigmoid(p0, p1, x, xo, y, yo, g, go, gi, io, up);
            case RELU -> bwdRelu(p0, p1, x, xo, y, yo, g, go, gi, io, up);
            case QUICK_GELU -> bwdQuickGelu(p0, p1, x, xo, y, yo, g, go, gi, io, up);
            case GELU_TANH -> bwdGeluTanh(p0, p1, x, xo, y, yo, g, go, gi, io, up);
            case CLAMP -> bwdClamp(p0, p1, x, xo, y, yo, g, go, gi, io, up);
            case AFFINE -> bwdAffine(p0, p1, x, xo, y, yo, g, go, gi, io, up);
            case ABS -> bwdAbs(p0, p1, x, xo, y, yo, g, go, gi, io, up);
            default -> 0;
        };
        for (; i < n; i++) gi[io + i] = g[go + i] * derivative(op, p0, p1, x[xo + i], y[yo + i]);
    }

    static float derivative(UnaryOp op, float p0, float p1, float x, float y) {
        return switch (op) {
            case NEG -> -1f;
            case EXP -> y;
            case LOG -> 1f / x;
            case SQRT -> 0.5f / y;
            case TANH -> 1f - y * y;
            case SIGMOID -> y * (1f - y);
            case RELU -> x > 0 ? 1f : 0f;
            case GELU_ERF -> (float) (FastErf.normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x));
            case GELU_TANH -> {
                float x2 = x * x;
                float t = VectorMath.tanh(Math.fma(x2, GELU_C, 1f) * x * SQRT_2_OVER_PI);
                float du = Math.fma(x2, 3 * GELU_C, 1f) * SQRT_2_OVER_PI;
                yield (Math.fma(-t, t, 1f) * x * du + (t + 1f)) * 0.5f;
            }
            case QUICK_GELU -> {
                float s = 1f / (VectorMath.exp(x * -QG) + 1f);
                yield x * QG * s * (1f - s) + s;
            }
            case POW -> p0 == 0f ? 0f : p0 == 2f ? 2f * x : (float) (p0 * Math.pow(x, p0 - 1));
            case CLAMP -> x >= p0 && x <= p1 ? 1f : 0f;
            case AFFINE -> p0;
            case ABS -> x > 0 ? 1f : x < 0 ? -1f : 0f;
        };
    }

    // ---- vector bodies, one small method per function so each compiles to SIMD on its own (a single
    // method holding all of them exceeds the JIT's inlining budget and falls back to boxed vectors) ----

    private static int fwdNeg(float p0, float p1, float[] x, int xo, float[] o, int oo, int up) {
        int i = 0;
        for (; i < up; i += L) ld(x, xo + i).neg().intoArray(o, oo + i);
        return i;
    }

    private static int fwdExp(float p0, float p1, float[] x, int xo, float[] o, int oo, int up) {
        int i = 0;
        for (; i < up; i += L) VectorMath.exp(ld(x, xo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int fwdLog(float p0, float p1, float[] x, int xo, float[] o, int oo, int up) {
        int i = 0;
        for (; i < up; i += L) VectorMath.log(ld(x, xo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int fwdSqrt(float p0, float p1, float[] x, int xo, float[] o, int oo, int up) {
        int i = 0;
        for (; i < up; i += L) ld(x, xo + i).sqrt().intoArray(o, oo + i);
        return i;
    }

    private static int fwdTanh(float p0, float p1, float[] x, int xo, float[] o, int oo, int up) {
        int i = 0;
        for (; i < up; i += L) VectorMath.tanh(ld(x, xo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int fwdSigmoid(float p0, float p1, float[] x, int xo, float[] o, int oo, int up) {
        int i = 0;
        for (; i < up; i += L) {
            FloatVector e = VectorMath.exp(ld(x, xo + i).neg());
            FloatVector.broadcast(S, 1f).div(e.add(1f)).intoArray(o, oo + i);
        }
        return i;
    }

    private static int fwdRelu(float p0, float p1, float[] x, int xo, float[] o, int oo, int up) {
        int i = 0;
        for (; i < up; i += L) ld(x, xo + i).max(0f).intoArray(o, oo + i);
        return i;
    }

    private static int fwdGeluTanh(float p0, float p1, float[] x, int xo, float[] o, int oo, int up) {
        int i = 0;
        for (; i < up; i += L) {
            FloatVector v = ld(x, xo + i);
            FloatVector u = v.mul(v).fma(GELU_C, 1f).mul(v).mul(SQRT_2_OVER_PI);
            VectorMath.tanh(u).add(1f).mul(v).mul(0.5f).intoArray(o, oo + i);
        }
        return i;
    }

    private static int fwdQuickGelu(float p0, float p1, float[] x, int xo, float[] o, int oo, int up) {
        int i = 0;
        for (; i < up; i += L) {
            FloatVector v = ld(x, xo + i);
            v.div(VectorMath.exp(v.mul(-QG)).add(1f)).intoArray(o, oo + i);
        }
        return i;
    }

    private static int fwdClamp(float p0, float p1, float[] x, int xo, float[] o, int oo, int up) {
        int i = 0;
        for (; i < up; i += L) ld(x, xo + i).max(p0).min(p1).intoArray(o, oo + i);
        return i;
    }

    private static int fwdAffine(float p0, float p1, float[] x, int xo, float[] o, int oo, int up) {
        int i = 0;
        for (; i < up; i += L) ld(x, xo + i).fma(p0, p1).intoArray(o, oo + i);
        return i;
    }

    private static int fwdAbs(float p0, float p1, float[] x, int xo, float[] o, int oo, int up) {
        int i = 0;
        for (; i < up; i += L) ld(x, xo + i).abs().intoArray(o, oo + i);
        return i;
    }

    private static int fwdPow(float p0, float p1, float[] x, int xo, float[] o, int oo, int up) {
        int i = 0;
        if (p0 == 2f) for (; i < up; i += L) { FloatVector v = ld(x, xo + i); v.mul(v).intoArray(o, oo + i); }
        else if (p0 == 0.5f) for (; i < up; i += L) ld(x, xo + i).sqrt().intoArray(o, oo + i);
        return i;
    }

    private static int bwdNeg(float p0, float p1, float[] x, int xo, float[] y, int yo, float[] g, int go, float[] gi, int io, int up) {
        int i = 0;
        for (; i < up; i += L) ld(g, go + i).neg().intoArray(gi, io + i);
        return i;
    }

    private static int bwdExp(float p0, float p1, float[] x, int xo, float[] y, int yo, float[] g, int go, float[] gi, int io, int up) {
        int i = 0;
        for (; i < up; i += L) ld(g, go + i).mul(ld(y, yo + i)).intoArray(gi, io + i);
        return i;
    }

    private static int bwdLog(float p0, float p1, float[] x, int xo, float[] y, int yo, float[] g, int go, float[] gi, int io, int up) {
        int i = 0;
        for (; i < up; i += L) ld(g, go + i).div(ld(x, xo + i)).intoArray(gi, io + i);
        return i;
    }

    private static int bwdSqrt(float p0, float p1, float[] x, int xo, float[] y, int yo, float[] g, int go, float[] gi, int io, int up) {
        int i = 0;
        for (; i < up; i += L) ld(g, go + i).mul(0.5f).div(ld(y, yo + i)).intoArray(gi, io + i);
        return i;
    }

    private static int bwdTanh(float p0, float p1, float[] x, int xo, float[] y, int yo, float[] g, int go, float[] gi, int io, int up) {
        int i = 0;
        for (; i < up; i += L) {
            FloatVector v = ld(y, yo + i);
            v.neg().fma(v, FloatVector.broadcast(S, 1f)).mul(ld(g, go + i)).intoArray(gi, io + i);
        }
        return i;
    }

    private static int bwdSigmoid(float p0, float p1, float[] x, int xo, float[] y, int yo, float[] g, int go, float[] gi, int io, int up) {
        int i = 0;
        for (; i < up; i += L) {
            FloatVector v = ld(y, yo + i);
            v.neg().add(1f).mul(v).mul(ld(g, go + i)).intoArray(gi, io + i);
        }
        return i;
    }

    private static int bwdRelu(float p0, float p1, float[] x, int xo, float[] y, int yo, float[] g, int go, float[] gi, int io, int up) {
        int i = 0;
        for (; i < up; i += L)
        FloatVector.zero(S).blend(ld(g, go + i), ld(x, xo + i).compare(VectorOperators.GT, 0f)).intoArray(gi, io + i);
        return i;
    }

    private static int bwdQuickGelu(float p0, float p1, float[] x, int xo, float[] y, int yo, float[] g, int go, float[] gi, int io, int up) {
        int i = 0;
        for (; i < up; i += L) {
            // Both loads before exp: C2 inlines in order, and a load placed after exp's inlined body fell past
            // its inlining budget and came back boxed (~0.7 GB of garbage per ViT-B/32 training step).
            FloatVector v = ld(x, xo + i), gv = ld(g, go + i);
            FloatVector s = FloatVector.broadcast(S, 1f).div(VectorMath.exp(v.mul(-QG)).add(1f));
            // s + 1.702·x·s·(1 − s)
            FloatVector d = v.mul(QG).mul(s).mul(s.neg().add(1f)).add(s);
            d.mul(gv).intoArray(gi, io + i);
        }
        return i;
    }

    private static int bwdGeluTanh(float p0, float p1, float[] x, int xo, float[] y, int yo, float[] g, int go, float[] gi, int io, int up) {
        int i = 0;
        for (; i < up; i += L) {
            FloatVector v = ld(x, xo + i);
            FloatVector v2 = v.mul(v);
            FloatVector t = VectorMath.tanh(v2.fma(GELU_C, 1f).mul(v).mul(SQRT_2_OVER_PI));
            FloatVector du = v2.fma(3 * GELU_C, 1f).mul(SQRT_2_OVER_PI);
            // 0.5·(1 + t) + 0.5·x·(1 − t²)·du
            FloatVector d = t.neg().fma(t, FloatVector.broadcast(S, 1f)).mul(v).mul(du).add(t.add(1f)).mul(0.5f);
            d.mul(ld(g, go + i)).intoArray(gi, io + i);
        }
        return i;
    }

    private static int bwdClamp(float p0, float p1, float[] x, int xo, float[] y, int yo, float[] g, int go, float[] gi, int io, int up) {
        int i = 0;
        for (; i < up; i += L) {
            FloatVector v = ld(x, xo + i);
            var inside = v.compare(VectorOperators.GE, p0).and(v.compare(VectorOperators.LE, p1));
            FloatVector.zero(S).blend(ld(g, go + i), inside).intoArray(gi, io + i);
        }
        return i;
    }

    private static int bwdAffine(float p0, float p1, float[] x, int xo, float[] y, int yo, float[] g, int go, float[] gi, int io, int up) {
        int i = 0;
        for (; i < up; i += L) ld(g, go + i).mul(p0).intoArray(gi, io + i);
        return i;
    }

    private static int bwdAbs(float p0, float p1, float[] x, int xo, float[] y, int yo, float[] g, int go, float[] gi, int io, int up) {
        int i = 0;
        for (; i < up; i += L) {
            FloatVector v = ld(x, xo + i), gv = ld(g, go + i);
            FloatVector.zero(S).blend(gv, v.compare(VectorOperators.GT, 0f))
            .blend(gv.neg(), v.compare(VectorOperators.LT, 0f)).intoArray(gi, io + i);
        }
        return i;
    }
}
