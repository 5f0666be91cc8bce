package org.cxrclip.engine.backend;

import org.cxrclip.engine.Tensor;

/**
 * The optimisers' in-place updates and the gradient statistics they need, behind the backend seam so that a
 * device backend keeps parameters, gradients and moment buffers in device memory for the whole training step.
 * Every tensor is a contiguous view with the parameter's number of elements (moments and momentum buffers are
 * flat); the scalars are computed on the host by the optimiser, once per parameter and step.
 */
public interface OptimizerKernels {
    /**
     * AdamW's per-step scalars, each rounded to float from a double as torch does with its Python scalars:
     * decayFactor = 1 − lr·λ, stepSize = lr/(1 − β1ᵗ), bc2Sqrt = √(1 − β2ᵗ), and 1 − β1, 1 − β2.
     */
    record AdamWScalars(float decayFactor, float beta1, float beta2, float oneMinusBeta1, float oneMinusBeta2,
                        float eps, float stepSize, float bc2Sqrt) {
        /** The scalars of step t (≥ 1) with learning rate lr and weight decay λ (0 for a parameter that does not decay). */
        public static AdamWScalars of(double lr, double beta1, double beta2, double eps, double weightDecay, long t) {
            double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
            return new AdamWScalars((float) (1 - lr * weightDecay), (float) beta1, (float) beta2, (float) (1 - beta1),
                    (float) (1 - beta2), (float) eps, (float) (lr / bc1), (float) Math.sqrt(bc2));
        }
    }

    /**
     * One AdamW step, in place: m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
     * p ← p·decayFactor − stepSize · m / (√v / bc2Sqrt + ε).
     */
    void adamw(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, AdamWScalars s);

    /**
     * One SGD step, in place (torch.optim.SGD): d = g + λ·p; with a momentum buffer b (null = no momentum)
     * b ← d on the first step, else μ·b + (1 − dampening)·d; p ← p − lr·(Nesterov ? d + μ·b : b).
     */
    void sgd(Tensor param, Tensor grad, Tensor buf, boolean first, float lr, float weightDecay, float momentum,
             float oneMinusDampening, boolean nesterov);

    /**
     * out[slot] = Σ x² over all of x's elements (overwritten). The optimiser's gradient-norm clip writes one
     * slot per parameter and reads the few values back at once, so a step costs one device-to-host copy.
     */
    void sumOfSquares(Tensor x, Tensor out, int slot);
}
