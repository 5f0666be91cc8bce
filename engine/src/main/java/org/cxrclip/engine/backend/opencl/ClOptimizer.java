package org.cxrclip.engine.backend.opencl;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.OptimizerKernels;
import org.jocl.cl_mem;

/**
 * The optimiser updates of {@code optimizer.cl}: one work-item per element, parameters and moments updated in
 * place in device memory. The sum of squares runs in two launches: up to {@link #PARTIALS} work-groups write
 * partial sums to a pooled scratch buffer, then one group adds them into the output slot.
 */
final class ClOptimizer implements OptimizerKernels {
    private static final String F = "optimizer";
    private static final long[] LOCAL = {256};
    private static final long[] GROUP = {ClReductions.GROUP};
    /** Work-groups of the first sum-of-squares stage at most (enough to fill a large GPU, few to add up). */
    static final int PARTIALS = 256;

    private final ClContext cl;

    ClOptimizer(ClContext cl) {
        this.cl = cl;
    }

    @Override
    public void adamw(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, AdamWScalars s) {
        int n = param.numel();
        cl.launch(F, "adamw", new long[] {n}, LOCAL, param, grad, expAvg, expAvgSq, n, s.decayFactor(), s.beta1(),
                s.beta2(), s.oneMinusBeta1(), s.oneMinusBeta2(), s.eps(), s.stepSize(), s.bc2Sqrt());
    }

    @Override
    public void sgd(Tensor param, Tensor grad, Tensor buf, boolean first, float lr, float weightDecay, float momentum,
                    float oneMinusDampening, boolean nesterov) {
        int n = param.numel();
        cl.launch(F, "sgd", new long[] {n}, LOCAL, param, grad, buf == null ? param : buf, buf == null ? 0 : 1,
                first ? 1 : 0, n, lr, weightDecay, momentum, oneMinusDampening, nesterov ? 1 : 0);
    }

    @Override
    public void sumOfSquares(Tensor x, Tensor out, int slot) {
        int n = x.numel();
        int groups = (int) Math.max(1, Math.min(PARTIALS, (n + 4L * ClReductions.GROUP - 1) / (4L * ClReductions.GROUP)));
        cl_mem partial = cl.pool.acquire(groups);
        cl.launch(F, "sum_squares_partial", new long[] {(long) groups * ClReductions.GROUP}, GROUP, x, n, partial);
        cl.launch(F, "sum_partials", new long[] {ClReductions.GROUP}, GROUP, partial, groups, out, slot);
        // Safe to reuse at once: the in-order queue runs sum_partials before any later user of the buffer.
        cl.pool.giveBack(partial, groups);
    }
}
