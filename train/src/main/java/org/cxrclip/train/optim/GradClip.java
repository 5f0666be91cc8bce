package org.cxrclip.train.optim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.engine.Autograd;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.ops.Arithmetic;

/**
 * Gradient-norm clipping as {@code torch.nn.utils.clip_grad_norm_}: total = ‖(‖g₁‖₂, ‖g₂‖₂, …)‖₂ over all
 * parameters with a gradient; every gradient is scaled by min(1, maxNorm/(total + 1e-6)). Returns the total
 * norm before clipping (NaN/∞ pass through for the trainer's non-finite check, as torch's default).
 * <p>A gradient may alias another tensor (the engine hands an add's output gradient to both inputs without a
 * copy), so clipping never scales in place: a scaled copy replaces the parameter's gradient.
 */
public final class GradClip {
    private GradClip() {}

    public static double clipNorm(Map<String, Tensor> namedParameters, double maxNorm) {
        return clipNorm(namedParameters.values(), maxNorm);
    }

    public static double clipNorm(Collection<Tensor> parameters, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("gradient clipping: max norm must be > 0, got " + maxNorm);
        double total = totalNorm(parameters);
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1) scale(parameters, (float) coef);
        return total;
    }

    /**
     * The L2 norm of all gradients together: each gradient's sum of squares is computed by its backend into one
     * slot of a small tensor, which is read back once (one device-to-host copy per step on a GPU backend); the
     * slots are added in double.
     */
    public static double totalNorm(Collection<Tensor> parameters) {
        Map<Backend, List<Tensor>> byBackend = new LinkedHashMap<>();
        for (Tensor p : parameters) {
            Tensor g = p.grad();
            if (g != null) byBackend.computeIfAbsent(g.backend(), b -> new ArrayList<>()).add(g);
        }
        double sq = 0;
        for (var e : byBackend.entrySet()) {
            List<Tensor> grads = e.getValue();
            Tensor sums = Tensor.zeros(e.getKey(), grads.size());
            for (int i = 0; i < grads.size(); i++) e.getKey().optimizer().sumOfSquares(grads.get(i), sums, i);
            for (float v : sums.toArray()) sq += v;
        }
        return Math.sqrt(sq);
    }

    /** Replaces every gradient g by factor·g (a new tensor; see the class comment). */
    public static void scale(Collection<Tensor> parameters, float factor) {
        try (var ng = Autograd.noGrad()) {
            for (Tensor p : parameters) {
                Tensor g = p.grad();
                if (g == null) continue;
                Tensor scaled = Arithmetic.mul(g, factor);
                p.zeroGrad();
                p.accumulateGrad(scaled);
            }
        }
    }
}
