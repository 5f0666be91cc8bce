package org.cxrclip.engine.backend.cpu;

import static org.cxrclip.engine.backend.HostStorage.array;

import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.OptimizerKernels;
import org.cxrclip.engine.backend.reference.RefOptimizer;

/**
 * The optimiser updates on the CPU: the reference loops run over element ranges in parallel (the updates are
 * memory-bound, so splitting the range over the cores is what pays). Below {@link #GRAIN} elements a parameter is
 * updated on the calling thread.
 */
final class CpuOptimizer implements OptimizerKernels {
    private static final int GRAIN = 1 << 15;

    @Override
    public void adamw(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, AdamWScalars s) {
        float[] p = array(param), g = array(grad), m = array(expAvg), v = array(expAvgSq);
        int po = param.offset(), go = grad.offset(), mo = expAvg.offset(), vo = expAvgSq.offset();
        Parallel.forRange(param.numel(), GRAIN, (from, to) -> RefOptimizer.adamw(p, po, g, go, m, mo, v, vo, from, to, s));
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
