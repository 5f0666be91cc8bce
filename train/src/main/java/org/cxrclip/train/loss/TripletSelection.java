package org.cxrclip.train.loss;

import org.cxrclip.engine.Node;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.MetricKernels;
import org.cxrclip.engine.ops.Arithmetic;

/**
 * The fused part of {@link TripletLoss}: from a distance matrix D (B, B) and labels, the reduced triplet loss
 * (shape []) and, in backward, dL/dD. Each counted triplet adds +w to dL/dD[a, p] and −w to dL/dD[a, n] when
 * its hinge is active (w = 1/count for the mean, 1 for the sum; count is treated as a constant, as autograd
 * does for the mask in the composite formulation). The selection is the backend's
 * {@link MetricKernels#triplet}: the forward computes the loss and dL/dD for an upstream gradient of 1 where D
 * lives, and the backward scales that gradient there, so on a device backend neither D nor its gradient
 * visits the host (only the B labels are copied in).
 */
final class TripletSelection extends Node {
    private Tensor d;
    private Tensor gradD; // (B, B), dL/dD for an upstream gradient of 1

    private TripletSelection(Tensor d, Tensor gradD) {
        super(d);
        this.d = d;
        this.gradD = gradD;
    }

    static Tensor apply(Tensor d, int[] labels, float margin, TripletLoss.Mining mining,
                        TripletLoss.Reduction reduction) {
        Backend backend = d.backend();
        int b = d.dim(0);
        Tensor loss = Tensor.zeros(backend);       // shape []
        Tensor grad = Tensor.zeros(backend, b, b); // (B, B)
        backend.metric().triplet(d, labels, margin, engine(mining), engine(reduction), loss, grad);
        return Node.record(loss, () -> new TripletSelection(d, grad), d);
    }

    private static MetricKernels.Mining engine(TripletLoss.Mining m) {
        return switch (m) {
            case BATCH_ALL -> MetricKernels.Mining.BATCH_ALL;
            case BATCH_HARD -> MetricKernels.Mining.BATCH_HARD;
        };
    }

    private static MetricKernels.Reduction engine(TripletLoss.Reduction r) {
        return switch (r) {
            case MEAN -> MetricKernels.Reduction.MEAN;
            case SUM -> MetricKernels.Reduction.SUM;
        };
    }

    @Override
    protected void backward(Tensor gradOut) {
        d.accumulateGrad(Arithmetic.mul(gradD, gradOut)); // gradOut has shape []: broadcast on the device
    }

    @Override
    protected void release() {
        d = null;
        gradD = null;
    }

    @Override
    public String name() {
        return "triplet_selection";
    }
}
