package org.cxrclip.engine.backend.reference;

import static org.cxrclip.engine.backend.HostStorage.array;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.OptimizerKernels;

/**
 * The optimiser updates as plain loops over element ranges (the naive twin of the CPU and OpenCL versions, and
 * the loops the CPU backend runs in parallel chunks). Float arithmetic exactly as torch's single-tensor AdamW
 * and SGD; the sum of squares accumulates in double.
 */
public final class RefOptimizer implements OptimizerKernels {
    @Override
    public void adamw(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, AdamWScalars s) {
        adamw(array(param), param.offset(), array(grad), grad.offset(), array(expAvg), expAvg.offset(),
                array(expAvgSq), expAvgSq.offset(), 0, param.numel(), s);
    }

    @Override
    public void sgd(Tensor param, Tensor grad, Tensor buf, boolean first, float lr, float weightDecay, float momentum,
                    float oneMinusDampening, boolean nesterov) {
        sgd(array(param), param.offset(), array(grad), grad.offset(), buf == null ? null : array(buf),
                buf == null ? 0 : buf.offset(), first, 0, param.numel(), lr, weightDecay, momentum, oneMinusDampening,
                nesterov);
    }

    @Override
    public void sumOfSquares(Tensor x, Tensor out, int slot) {
        array(out)[out.offset() + slot] = (float) sumOfSquares(array(x), x.offset(), 0, x.numel());
    }

    /** AdamW over elements [from, to) of p (at pOff), g (at gOff), m (at mOff), v (at vOff). */
    public static void adamw(float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                             int from, int to, AdamWScalars s) {
        float beta1 = s.beta1(), beta2 = s.beta2(), a1 = s.oneMinusBeta1(), a2 = s.oneMinusBeta2();
        float decay = s.decayFactor(), eps = s.eps(), stepSize = s.stepSize(), bc2Sqrt = s.bc2Sqrt();
        for (int i = from; i < to; i++) {
            float gi = g[gOff + i];
            float mi = m[mOff + i] * beta1 + gi * a1;
            float vi = v[vOff + i] * beta2 + gi * gi * a2;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            p[pOff + i] = p[pOff + i] * decay - stepSize * (mi / denom);
        }
    }

    /** SGD over elements [from, to); buf null means no momentum. */
    public static void sgd(float[] p, int pOff, float[] g, int gOff, float[] buf, int bOff, boolean first, int from,
                           int to, float lr, float weightDecay, float momentum, float oneMinusDampening,
                           boolean nesterov) {
        for (int i = from; i < to; i++) {
            float d = g[gOff + i];
            if (weightDecay != 0) d = d + weightDecay * p[pOff + i];
            if (buf != null) {
                float b = first ? d : buf[bOff + i] * momentum + oneMinusDampening * d;
                buf[bOff + i] = b;
                d = nesterov ? d + momentum * b : b;
            }
            p[pOff + i] = p[pOff + i] - lr * d;
        }
    }

    /** Σ x² over x[off + from, off + to), in double. */
    public static double sumOfSquares(float[] x, int off, int from, int to) {
        double sq = 0;
        for (int i = from; i < to; i++) sq += (double) x[off + i] * x[off + i];
        return sq;
    }
}
