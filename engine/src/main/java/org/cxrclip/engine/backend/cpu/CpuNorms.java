package org.cxrclip.engine.backend.cpu;

import static org.cxrclip.engine.backend.HostStorage.array;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.NormKernels;

/** Unwraps tensors for the SIMD layer-norm and softmax kernels; the last axis is the normalised one. */
final class CpuNorms implements NormKernels {
    @Override
    public void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out, Tensor mean, Tensor rstd) {
        int C = x.dim(-1), rows = x.numel() / C;
        LayerNormKernel.forward(array(out), out.offset(), array(mean), mean.offset(), array(rstd), rstd.offset(),
                array(x), x.offset(), array(gamma), gamma.offset(), array(beta), beta.offset(), rows, C, eps);
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor gamma, Tensor mean, Tensor rstd, Tensor gradOut,
                                  Tensor gradX, Tensor gradGamma, Tensor gradBeta) {
        int C = x.dim(-1), rows = x.numel() / C;
        LayerNormKernel.backward(array(gradX), gradX.offset(), array(gradGamma), gradGamma.offset(),
                array(gradBeta), gradBeta.offset(), array(x), x.offset(), array(gamma), gamma.offset(),
                array(mean), mean.offset(), array(rstd), rstd.offset(), array(gradOut), gradOut.offset(), rows, C);
    }

    @Override
    public void softmax(Tensor x, boolean log, Tensor out) {
        int C = x.dim(-1), rows = C == 0 ? 0 : x.numel() / C;
        SoftmaxKernel.forward(array(out), out.offset(), array(x), x.offset(), rows, C, log);
    }

    @Override
    public void softmaxBackward(Tensor y, boolean log, Tensor gradOut, Tensor gradIn) {
        int C = y.dim(-1), rows = C == 0 ? 0 : y.numel() / C;
        SoftmaxKernel.backward(array(gradIn), gradIn.offset(), array(y), y.offset(), array(gradOut),
                gradOut.offset(), rows, C, log);
    }

    @Override
    public void crossEntropy(Tensor logits, int[] targets, Tensor logProbs, Tensor loss) {
        SoftmaxKernel.crossEntropy(array(loss), loss.offset(), array(logProbs), logProbs.offset(), array(logits),
                logits.offset(), targets, logits.dim(0), logits.dim(1));
    }

    @Override
    public void crossEntropyBackward(Tensor logProbs, int[] targets, Tensor gradLoss, Tensor gradLogits) {
        SoftmaxKernel.crossEntropyBackward(array(gradLogits), gradLogits.offset(), array(logProbs),
                logProbs.offset(), targets, gradLoss.item(), logProbs.dim(0), logProbs.dim(1));
    }
}
