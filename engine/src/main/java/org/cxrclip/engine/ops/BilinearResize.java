package org.cxrclip.engine.ops;

import org.cxrclip.engine.Node;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;

/**
 * Bilinear resize of (N, C, H, W) images to (N, C, OH, OW): PyTorch's
 * {@code F.interpolate(x, size=(OH, OW), mode="bilinear", align_corners=False)} (no antialiasing, so a
 * downscale by more than 2 skips pixels, as in torch). Differentiable in x; the backward is the adjoint of the
 * same taps. Kernels: {@link ResamplingKernels#resize} / {@link ResamplingKernels#resizeBackward}.
 */
public final class BilinearResize {
    private BilinearResize() {}

    public static Tensor resize(Tensor x, int outH, int outW) {
        OpChecks.rank("resize", "x", x, 4);
        if (outH <= 0 || outW <= 0)
            throw new ShapeException("resize: output size " + outH + "x" + outW + " must be positive");
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        if (h == outH && w == outW) return x; // torch returns the same values: every tap has weight 1 at its own pixel
        float[] out = new float[n * c * outH * outW];
        ResamplingKernels.resize(x.toArray(), out, n * c, h, w, outH, outW);
        Tensor y = Tensor.of(x.backend(), out, n, c, outH, outW);
        return Node.record(y, () -> new ResizeNode(x, outH, outW), x);
    }

    private static final class ResizeNode extends Node {
        private final int[] inShape;
        private final int outH, outW;
        private Tensor x;

        ResizeNode(Tensor x, int outH, int outW) {
            super(x);
            this.x = x;
            this.inShape = x.shape();
            this.outH = outH;
            this.outW = outW;
        }

        @Override
        public String name() {
            return "resize";
        }

        @Override
        protected void backward(Tensor g) {
            float[] gx = new float[x.numel()];
            ResamplingKernels.resizeBackward(g.toArray(), gx, inShape[0] * inShape[1], inShape[2], inShape[3], outH, outW);
            x.accumulateGrad(Tensor.of(g.backend(), gx, inShape));
        }

        @Override
        protected void release() {
            x = null;
        }
    }
}
