package org.cxrclip.engine.ops;

import java.util.Arrays;
import org.cxrclip.engine.Node;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;

/**
 * Warps (N, C, H, W) images by a sampling grid: PyTorch's {@code F.grid_sample(x, grid, mode="bilinear",
 * padding_mode="zeros", align_corners=False)}, plus {@link #affineGrid} ({@code F.affine_grid(theta, size,
 * align_corners=False)}) to build the grid of an affine map. The grid is data, not a tensor: callers draw random
 * warps (augmentations) outside the op, so only x gets a gradient, the adjoint of the same bilinear taps.
 * Kernels: {@link ResamplingKernels#gridSample} / {@link ResamplingKernels#gridSampleBackward}.
 */
public final class GridSample {
    private GridSample() {}

    /** x (N, C, H, W), grid (N, OH, OW, 2) as flat (x, y) pairs in [-1, 1] → (N, C, OH, OW). */
    public static Tensor sample(Tensor x, float[] grid, int outH, int outW) {
        OpChecks.rank("gridSample", "x", x, 4);
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        if (outH <= 0 || outW <= 0 || grid.length != n * outH * outW * 2)
            throw new ShapeException("gridSample: grid of " + grid.length + " values is not (" + n + ", " + outH + ", "
                    + outW + ", 2) for images " + Arrays.toString(x.shape()));
        for (int i = 0; i < grid.length; i++)
            if (!Float.isFinite(grid[i])) throw new IllegalArgumentException("gridSample: grid value " + grid[i] + " at " + i);
        float[] g = grid.clone(); // the caller may reuse its array before backward runs
        float[] out = new float[n * c * outH * outW];
        ResamplingKernels.gridSample(x.toArray(), g, out, n, c, h, w, outH, outW);
        Tensor y = Tensor.of(x.backend(), out, n, c, outH, outW);
        return Node.record(y, () -> new GridSampleNode(x, g, outH, outW), x);
    }

    /**
     * The grid of {@code F.affine_grid(theta, (N, ·, H, W), align_corners=False)}: for output pixel (i, j) the
     * normalised centre (x, y) = ((2j + 1)/W − 1, (2i + 1)/H − 1) is mapped by theta[n] (2×3, row-major) to the
     * source point. theta (N, 2, 3) flat → grid (N, H, W, 2) flat.
     */
    public static float[] affineGrid(float[] theta, int n, int h, int w) {
        if (theta.length != n * 6) throw new ShapeException("affineGrid: theta has " + theta.length + " values, expected " + n + "x2x3");
        float[] grid = new float[n * h * w * 2];
        for (int b = 0; b < n; b++) {
            int t = b * 6;
            for (int i = 0; i < h; i++) {
                float y = (2f * i + 1) / h - 1;
                for (int j = 0; j < w; j++) {
                    float x = (2f * j + 1) / w - 1;
                    int o = ((b * h + i) * w + j) * 2;
                    grid[o] = theta[t] * x + theta[t + 1] * y + theta[t + 2];
                    grid[o + 1] = theta[t + 3] * x + theta[t + 4] * y + theta[t + 5];
                }
            }
        }
        return grid;
    }

    private static final class GridSampleNode extends Node {
        private final float[] grid;
        private final int[] inShape;
        private final int outH, outW;
        private Tensor x;

        GridSampleNode(Tensor x, float[] grid, int outH, int outW) {
            super(x);
            this.x = x;
            this.grid = grid;
            this.inShape = x.shape();
            this.outH = outH;
            this.outW = outW;
        }

        @Override
        public String name() {
            return "gridSample";
        }

        @Override
        protected void backward(Tensor g) {
            float[] gx = new float[x.numel()];
            ResamplingKernels.gridSampleBackward(g.toArray(), grid, gx, inShape[0], inShape[1], inShape[2], inShape[3],
                    outH, outW);
            x.accumulateGrad(Tensor.of(g.backend(), gx, inShape));
        }

        @Override
        protected void release() {
            x = null;
        }
    }
}
