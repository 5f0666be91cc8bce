package org.cxrclip.engine.backend.cpu;

import static org.cxrclip.engine.backend.HostStorage.array;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.OptimizerKernels;
import org.cxrclip.engine.backend.reference.RefOptimizer;

/**
 * The optimiser updates on the CPU, split over element ranges in parallel (they are memory-bound, so using every
 * core's bandwidth is what pays); below {@link #GRAIN} elements a parameter is updated on the calling thread.
 * AdamW's body is SIMD; SGD and the sum of squares run the reference loops per range.
 */
final class CpuOptimizer implements OptimizerKernels {
    private static final int GRAIN = 1 << 15;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @Override
    public void adamw(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, AdamWScalars s) {
        float[] p = array(param), g = array(grad), m = array(expAvg), v = array(expAvgSq);
        int po = param.offset(), go = grad.offset(), mo = expAvg.offset(), vo = expAvgSq.offset();
        Parallel.forRange(param.numel(), GRAIN, (from, to) -> adamw(p, po, g, go, m, mo, v, vo, from, to, s));
    }

    /**
     * {@link RefOptimizer#adamw} with a SIMD body: the same float operations in the same order (no fma, and
     * vector sqrt and division round as Math's), so every element gets the reference's bits and an element's
     * update does not depend on where a chunk boundary falls.
     */
    static void adamw(float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff, int from,
                      int to, AdamWScalars s) {
        float beta1 = s.beta1(), beta2 = s.beta2(), a1 = s.oneMinusBeta1(), a2 = s.oneMinusBeta2();
        float decay = s.decayFactor(), eps = s.eps(), stepSize = s.stepSize(), bc2Sqrt = s.bc2Sqrt();
        int i = from, up = from + SPECIES.loopBound(to - from);
        for (; i < up; i += SPECIES.length()) {
            FloatVector gi = FloatVector.fromArray(SPECIES, g, gOff + i);
            FloatVector mi = FloatVector.fromArray(SPECIES, m, mOff + i).mul(beta1).add(gi.mul(a1));
            FloatVector vi = FloatVector.fromArray(SPECIES, v, vOff + i).mul(beta2).add(gi.mul(gi).mul(a2));
            mi.intoArray(m, mOff + i);
            vi.intoArray(v, vOff + i);
            FloatVector denom = vi.sqrt().div(bc2Sqrt).add(eps);
            FloatVector.fromArray(SPECIES, p, pOff + i).mul(decay).sub(mi.div(denom).mul(stepSize)).intoArray(p, pOff + i);
        }
        RefOptimizer.adamw(p, pOff, g, gOff, m, mOff, v, vOff, i, to, s);
    }

    @Override
    public void sgd(Tensor param, Tensor grad, Tensor buf, boolean first, float lr, float weightDecay, float momentum,
                    float oneMinusDampening, boolean nesterov) {
        float[] p = array(param), g = array(grad), b = buf == null ? null : array(buf);
        int po = param.offset(), go = grad.offset(), bo = buf == null ? 0 : buf.offset();
        Parallel.forRange(param.numel(), GRAIN, (from, to) -> RefOptimizer.sgd(p, po, g, go, b, bo, first, from, to, lr,
                weightDecay, momentum, oneMinusDampening, nesterov));
    }

    @Override
    public void sumOfSquares(Tensor x, Tensor out, int slot) {
        float[] xs = array(x);
        int xo = x.offset();
        int n = x.numel(), chunks = Math.max(1, Math.min(64, n / GRAIN));
        // Fixed chunks summed in order: the result does not depend on the thread count.
        double[] partial = new double[chunks];
        Parallel.forChunks(chunks, i -> partial[i] = RefOptimizer.sumOfSquares(xs, xo, (int) ((long) n * i / chunks),
                (int) ((long) n * (i + 1) / chunks)));
        double sum = 0;
        for (double v : partial) sum += v;
        array(out)[out.offset() + slot] = (float) sum;
    }
}
