package org.cxrclip.engine.ops;

import org.cxrclip.engine.Node;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;

/**
 * Softmax cross-entropy with integer class targets, as {@code torch.nn.functional.cross_entropy(logits,
 * targets)} with mean reduction: loss = −(1/N) Σ_n log_softmax(logits)[n, targets[n]]. Fused: the forward saves
 * the log-probabilities, the backward is (softmax − onehot)/N. No ignore_index, no label smoothing, no weights.
 * The loss is a scalar tensor of shape [] (one element, like {@link Tensor#scalar}).
 */
public final class CrossEntropy {
    private static final String OP = "cross_entropy";

    private CrossEntropy() {}

    /** logits (N, C) with N, C ≥ 1; targets of length N, each in [0, C). Returns the mean loss, shape []. */
    public static Tensor crossEntropy(Tensor logits, int[] targets) {
        Backend b = OpChecks.sameBackend(OP, logits);
        OpChecks.rank(OP, "logits", logits, 2);
        int N = logits.dim(0), C = logits.dim(1);
        if (N == 0 || C == 0)
            throw new ShapeException(OP + ": logits must have N >= 1 rows and C >= 1 classes, got shape ["
                    + N + ", " + C + "]");
        if (targets == null) throw new IllegalArgumentException(OP + ": targets is null");
        if (targets.length != N)
            throw new ShapeException(OP + ": " + targets.length + " targets for logits of shape [" + N + ", " + C + "]");
        for (int i = 0; i < N; i++)
            if (targets[i] < 0 || targets[i] >= C)
                throw new ShapeException(OP + ": target " + targets[i] + " at index " + i + " out of range [0, "
                        + C + ")");
        int[] t = targets.clone(); // the caller may reuse its array before backward
        Tensor logProbs = Tensor.zeros(b, N, C);
        Tensor loss = Tensor.zeros(b);
        b.norms().crossEntropy(logits, t, logProbs, loss);
        return Node.record(loss, () -> new CrossEntropyNode(logits, logProbs, t), logits);
    }

    private static final class CrossEntropyNode extends Node {
        private Tensor logits, logProbs;
        private int[] targets;

        CrossEntropyNode(Tensor logits, Tensor logProbs, int[] targets) {
            super(logits);
            this.logits = logits;
            this.logProbs = logProbs;
            this.targets = targets;
        }

        @Override
        protected void backward(Tensor gradOut) {
            Tensor g = Tensor.zeros(logits.backend(), logits.shape());
            logits.backend().norms().crossEntropyBackward(logProbs, targets, gradOut, g);
            logits.accumulateGrad(g);
        }

        @Override
        protected void release() {
            logits = logProbs = null;
            targets = null;
        }

        @Override
        public String name() {
            return OP;
        }
    }
}
