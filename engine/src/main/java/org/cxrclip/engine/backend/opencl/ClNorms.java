package org.cxrclip.engine.backend.opencl;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.NormKernels;

/** Row-wise normalisations of {@code norms.cl}: one work-group per row of the last axis. */
final class ClNorms implements NormKernels {
    static final String F = "norms";
    static final long[] GROUP = {ClReductions.GROUP};

    private final ClContext cl;

    ClNorms(ClContext cl) {
        this.cl = cl;
    }

    static long[] rows(int rows) {
        return new long[] {(long) rows * ClReductions.GROUP};
    }

    @Override
    public void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out, Tensor mean, Tensor rstd) {
        int c = x.dim(-1), rows = c == 0 ? 0 : x.numel() / c;
        cl.launch(F, "layer_norm", rows(rows), GROUP, x, gamma, beta, eps, out, mean, rstd, c);
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor gamma, Tensor mean, Tensor rstd, Tensor gradOut,
                                  Tensor gradX, Tensor gradGamma, Tensor gradBeta) {
        int c = x.dim(-1), rows = c == 0 ? 0 : x.numel() / c;
        cl.launch(F, "layer_norm_backward_x", rows(rows), GROUP, x, gamma, mean, rstd, gradOut, gradX, c);
        cl.launch(F, "layer_norm_backward_params", new long[] {c}, new long[] {64}, x, mean, rstd, gradOut,
                gradGamma, gradBeta, rows, c);
    }

    @Override
    public void softmax(Tensor x, boolean log, Tensor out) {
        int c = x.dim(-1), rows = c == 0 ? 0 : x.numel() / c;
        cl.launch(F, "softmax", rows(rows), GROUP, x, out, c, log ? 1 : 0);
    }

    @Override
    public void softmaxBackward(Tensor y, boolean log, Tensor gradOut, Tensor gradIn) {
        int c = y.dim(-1), rows = c == 0 ? 0 : y.numel() / c;
        cl.launch(F, "softmax_backward", rows(rows), GROUP, y, gradOut, gradIn, c, log ? 1 : 0);
    }

    @Override
    public void crossEntropy(Tensor logits, int[] targets, Tensor logProbs, Tensor loss) {
        int n = logits.dim(0), c = logits.dim(1);
        softmax(logits, true, logProbs);
        cl.launch(F, "nll_loss", new long[] {ClReductions.GROUP}, GROUP, logProbs, targets, loss, n, c);
    }

    @Override
    public void crossEntropyBackward(Tensor logProbs, int[] targets, Tensor gradLoss, Tensor gradLogits) {
        int n = logProbs.dim(0), c = logProbs.dim(1);
        cl.launch(F, "cross_entropy_backward", new long[] {(long) n * c}, new long[] {256}, logProbs, targets,
                gradLoss, gradLogits, n, c);
    }
}
