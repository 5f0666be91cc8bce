package org.cxrclip.engine.backend.reference;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.NormKernels;

/** Placeholder until the kernels land (issue 2 work in progress). */
final class RefNorms implements NormKernels {
    @Override
    public void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out, Tensor mean, Tensor rstd) {
        throw new UnsupportedOperationException("RefNorms.layerNorm: not implemented yet");
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor gamma, Tensor mean, Tensor rstd, Tensor gradOut, Tensor gradX, Tensor gradGamma, Tensor gradBeta) {
        throw new UnsupportedOperationException("RefNorms.layerNormBackward: not implemented yet");
    }

    @Override
    public void softmax(Tensor x, boolean log, Tensor out) {
        throw new UnsupportedOperationException("RefNorms.softmax: not implemented yet");
    }

    @Override
    public void softmaxBackward(Tensor y, boolean log, Tensor gradOut, Tensor gradIn) {
        throw new UnsupportedOperationException("RefNorms.softmaxBackward: not implemented yet");
    }

    @Override
    public void crossEntropy(Tensor logits, int[] targets, Tensor logProbs, Tensor loss) {
        throw new UnsupportedOperationException("RefNorms.crossEntropy: not implemented yet");
    }

    @Override
    public void crossEntropyBackward(Tensor logProbs, int[] targets, Tensor gradLoss, Tensor gradLogits) {
        throw new UnsupportedOperationException("RefNorms.crossEntropyBackward: not implemented yet");
    }
}
