package org.cxrclip.train.loss;

import org.cxrclip.engine.Node;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;

/**
 * Multi-label binary cross-entropy on logits, as {@code torch.nn.BCEWithLogitsLoss(pos_weight=...)}: per entry
 * ℓ = (1 − y)·x + (1 + (w_c − 1)·y)·(log(1 + e^{−|x|}) + max(−x, 0)), which equals
 * −[w_c·y·log σ(x) + (1 − y)·log(1 − σ(x))] without overflow for any x; w_c is the class's pos_weight
 * (the thesis uses (1 − p)/p from the training prevalence). A NaN target marks a missing label: the entry is
 * ignored and the loss is the mean over the valid entries (0 with zero gradient if there are none).
 * <p>Fused rather than composed: built from relu/abs the composite has kinks at x = 0 whose subgradients
 * (PyTorch's relu'(0) = abs'(0) = 0) give −y there instead of the true (1 − y) − (1 + (w − 1)y)/2, and a
 * zero-initialised head starts exactly at x = 0. The backward uses the smooth derivative (1 − y) − (1 + (w − 1)y)·σ(−x).
 * Runs on host copies of the (N, C) logits, so it works on any backend.
 */
public final class BceWithLogitsLoss {
    private final float[] posWeight; // (C) or null

    /** Without class weights. */
    public BceWithLogitsLoss() {
        this.posWeight = null;
    }

    /** With one positive-class weight per column of the logits. */
    public BceWithLogitsLoss(float[] posWeight) {
        if (posWeight == null) throw new IllegalArgumentException("BCE: posWeight is null (use the no-arg constructor)");
        for (int c = 0; c < posWeight.length; c++)
            if (!(posWeight[c] >= 0) || Float.isInfinite(posWeight[c]))
                throw new IllegalArgumentException("BCE: pos_weight[" + c + "] = " + posWeight[c]
                        + " must be finite and >= 0");
        this.posWeight = posWeight.clone();
    }

    /**
     * pos_weight = (1 − p)/p = negatives/positives per class, from label counts (NaN = missing ignored);
     * a class without positives gets weight 1 (it contributes no positive term anyway).
     */
    public static float[] posWeightFromTargets(float[] targets, int classes) {
        if (classes <= 0 || targets.length % classes != 0)
            throw new ShapeException("BCE: " + targets.length + " targets do not form rows of " + classes + " classes");
        double[] pos = new double[classes], neg = new double[classes];
        for (int i = 0; i < targets.length; i++) {
            float y = targets[i];
            if (Float.isNaN(y)) continue;
            pos[i % classes] += y;
            neg[i % classes] += 1 - y;
        }
        float[] w = new float[classes];
        for (int c = 0; c < classes; c++) w[c] = pos[c] > 0 ? (float) (neg[c] / pos[c]) : 1f;
        return w;
    }

    /** logits (N, C) on the graph; targets (N, C) row-major in [0, 1] or NaN (missing). */
    public Tensor forward(Tensor logits, float[] targets) {
        if (logits.rank() != 2)
            throw new ShapeException("BCE: logits must be (batch, classes), got " + java.util.Arrays.toString(logits.shape()));
        int n = logits.dim(0), c = logits.dim(1);
        if (targets == null || targets.length != n * c)
            throw new ShapeException("BCE: " + (targets == null ? "no" : targets.length) + " targets for logits of shape ["
                    + n + ", " + c + "]");
        if (posWeight != null && posWeight.length != c)
            throw new ShapeException("BCE: " + posWeight.length + " pos_weight values for " + c + " classes");
        for (int i = 0; i < targets.length; i++)
            if (!Float.isNaN(targets[i]) && !(targets[i] >= 0 && targets[i] <= 1))
                throw new IllegalArgumentException("BCE: target " + targets[i] + " at row " + i / c + ", class " + i % c
                        + " is outside [0, 1] (use NaN for a missing label)");
        float[] x = logits.toArray();  // (N, C)
        float[] grad = new float[x.length];
        double sum = 0;
        int valid = 0;
        for (int i = 0; i < x.length; i++) {
            float y = targets[i];
            if (Float.isNaN(y)) continue;
            double xi = x[i];
            double w = posWeight == null ? 1 : posWeight[i % c];
            double logWeight = 1 + (w - 1) * y;
            sum += (1 - y) * xi + logWeight * (Math.log1p(Math.exp(-Math.abs(xi))) + Math.max(-xi, 0));
            grad[i] = (float) ((1 - y) - logWeight * sigmoid(-xi));
            valid++;
        }
        float loss = valid == 0 ? 0f : (float) (sum / valid);
        if (valid > 0) {
            float inv = 1f / valid;
            for (int i = 0; i < grad.length; i++) grad[i] *= inv;
        }
        Tensor out = Tensor.scalar(logits.backend(), loss); // shape []
        return Node.record(out, () -> new BceNode(logits, grad), logits);
    }

    private static double sigmoid(double v) {
        return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    }

    private static final class BceNode extends Node {
        private Tensor logits;
        private float[] grad; // (N, C), dL/dx for an upstream gradient of 1

        BceNode(Tensor logits, float[] grad) {
            super(logits);
            this.logits = logits;
            this.grad = grad;
        }

        @Override
        protected void backward(Tensor gradOut) {
            float g = gradOut.item();
            float[] gx = new float[grad.length];
            for (int i = 0; i < gx.length; i++) gx[i] = grad[i] * g;
            logits.accumulateGrad(Tensor.of(logits.backend(), gx, logits.shape()));
        }

        @Override
        protected void release() {
            logits = null;
            grad = null;
        }

        @Override
        public String name() {
            return "bce_with_logits";
        }
    }
}
