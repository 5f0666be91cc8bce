package org.cxrclip.engine.ops;

/**
 * Host kernels for the two image-resampling ops, PyTorch's bilinear {@code F.interpolate} and {@code F.grid_sample}
 * (both with {@code align_corners=False}), forward and adjoint (the backward with respect to the image). Plain
 * static methods over flat row-major arrays; planes are the (N·C) images of an (N, C, H, W) tensor.
 *
 * <p>They run on host memory, outside the backend seam: text-to-image generation resamples at most a few
 * (16, 1, 224, 224) batches per step, which is noise next to the ViT it feeds; a device kernel can follow if a
 * profile ever says so. {@link #resizeNaive} is the per-pixel twin of the separable {@link #resize}.
 */
public final class ResamplingKernels {
    private ResamplingKernels() {}

    /**
     * Source taps of a bilinear resize along one axis of {@code in} samples to {@code out} samples, as PyTorch
     * computes them (float): src = max(0, (dst + 0.5)·in/out − 0.5), i0 = ⌊src⌋, i1 = min(i0 + 1, in − 1),
     * weights (1 − λ, λ) with λ = src − i0. Returns {i0[out], i1[out]} and fills lambda[out].
     */
    static int[][] taps(int in, int out, float[] lambda) {
        float scale = (float) in / out;
        int[] i0 = new int[out], i1 = new int[out];
        for (int d = 0; d < out; d++) {
            float src = scale * (d + 0.5f) - 0.5f;
            if (src < 0) src = 0;
            int lo = (int) src;
            i0[d] = lo;
            i1[d] = lo < in - 1 ? lo + 1 : lo;
            lambda[d] = src - lo;
        }
        return new int[][] {i0, i1};
    }

    /** Bilinear resize of {@code planes} images (h, w) → (oh, ow): x (planes, h, w), out (planes, oh, ow). */
    public static void resize(float[] x, float[] out, int planes, int h, int w, int oh, int ow) {
        float[] ly = new float[oh], lx = new float[ow];
        int[][] ty = taps(h, oh, ly), tx = taps(w, ow, lx);
        float[] rows = new float[2 * ow]; // the two source rows, already resized along x
        for (int p = 0; p < planes; p++) {
            int src = p * h * w, dst = p * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int r0 = src + ty[0][oy] * w, r1 = src + ty[1][oy] * w;
                for (int ox = 0; ox < ow; ox++) {
                    float a = lx[ox];
                    rows[ox] = (1 - a) * x[r0 + tx[0][ox]] + a * x[r0 + tx[1][ox]];
                    rows[ow + ox] = (1 - a) * x[r1 + tx[0][ox]] + a * x[r1 + tx[1][ox]];
                }
                float b = ly[oy];
                for (int ox = 0; ox < ow; ox++) out[dst + oy * ow + ox] = (1 - b) * rows[ox] + b * rows[ow + ox];
            }
        }
    }

    /** The naive twin of {@link #resize}: every output pixel computed from its four taps on its own. */
    public static void resizeNaive(float[] x, float[] out, int planes, int h, int w, int oh, int ow) {
        float sy = (float) h / oh, sx = (float) w / ow;
        for (int p = 0; p < planes; p++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++) {
                    float fy = Math.max(0f, sy * (oy + 0.5f) - 0.5f), fx = Math.max(0f, sx * (ox + 0.5f) - 0.5f);
                    int y0 = (int) fy, x0 = (int) fx;
                    int y1 = Math.min(y0 + 1, h - 1), x1 = Math.min(x0 + 1, w - 1);
                    float b = fy - y0, a = fx - x0;
                    int base = p * h * w;
                    out[(p * oh + oy) * ow + ox] = (1 - b) * ((1 - a) * x[base + y0 * w + x0] + a * x[base + y0 * w + x1])
                            + b * ((1 - a) * x[base + y1 * w + x0] + a * x[base + y1 * w + x1]);
                }
    }

    /** Adjoint of {@link #resize}: adds each output gradient g (planes, oh, ow) into gx (planes, h, w) at its taps. */
    public static void resizeBackward(float[] g, float[] gx, int planes, int h, int w, int oh, int ow) {
        float[] ly = new float[oh], lx = new float[ow];
        int[][] ty = taps(h, oh, ly), tx = taps(w, ow, lx);
        for (int p = 0; p < planes; p++) {
            int src = p * h * w, dst = p * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int r0 = src + ty[0][oy] * w, r1 = src + ty[1][oy] * w;
                float b = ly[oy];
                for (int ox = 0; ox < ow; ox++) {
                    float v = g[dst + oy * ow + ox], a = lx[ox];
                    int c0 = tx[0][ox], c1 = tx[1][ox];
                    gx[r0 + c0] += (1 - b) * (1 - a) * v;
                    gx[r0 + c1] += (1 - b) * a * v;
                    gx[r1 + c0] += b * (1 - a) * v;
                    gx[r1 + c1] += b * a * v;
                }
            }
        }
    }

    /**
     * Bilinear sampling with zero padding: out[n, c, i, j] = x[n, c] at the grid point grid[n, i, j] = (gx, gy) in
     * [-1, 1] normalised coordinates (−1/+1 are the outer edges of the border pixels: align_corners=False), so the
     * pixel coordinates are ((g + 1)·size − 1)/2. x (n, c, h, w), grid (n, oh, ow, 2), out (n, c, oh, ow).
     */
    public static void gridSample(float[] x, float[] grid, float[] out, int n, int c, int h, int w, int oh, int ow) {
        for (int b = 0; b < n; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    int gi = ((b * oh + i) * ow + j) * 2;
                    float ix = ((grid[gi] + 1) * w - 1) / 2, iy = ((grid[gi + 1] + 1) * h - 1) / 2;
                    int x0 = (int) Math.floor(ix), y0 = (int) Math.floor(iy);
                    float a = ix - x0, e = iy - y0;
                    for (int ch = 0; ch < c; ch++) {
                        int base = (b * c + ch) * h * w;
                        float v = tap(x, base, h, w, y0, x0) * (1 - a) * (1 - e) + tap(x, base, h, w, y0, x0 + 1) * a * (1 - e)
                                + tap(x, base, h, w, y0 + 1, x0) * (1 - a) * e + tap(x, base, h, w, y0 + 1, x0 + 1) * a * e;
                        out[((b * c + ch) * oh + i) * ow + j] = v;
                    }
                }
    }

    /** Adjoint of {@link #gridSample} with respect to x: g (n, c, oh, ow) scattered into gx (n, c, h, w). */
    public static void gridSampleBackward(float[] g, float[] grid, float[] gx, int n, int c, int h, int w, int oh, int ow) {
        for (int b = 0; b < n; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    int gi = ((b * oh + i) * ow + j) * 2;
                    float ix = ((grid[gi] + 1) * w - 1) / 2, iy = ((grid[gi + 1] + 1) * h - 1) / 2;
                    int x0 = (int) Math.floor(ix), y0 = (int) Math.floor(iy);
                    float a = ix - x0, e = iy - y0;
                    for (int ch = 0; ch < c; ch++) {
                        int base = (b * c + ch) * h * w;
                        float v = g[((b * c + ch) * oh + i) * ow + j];
                        scatter(gx, base, h, w, y0, x0, v * (1 - a) * (1 - e));
                        scatter(gx, base, h, w, y0, x0 + 1, v * a * (1 - e));
                        scatter(gx, base, h, w, y0 + 1, x0, v * (1 - a) * e);
                        scatter(gx, base, h, w, y0 + 1, x0 + 1, v * a * e);
                    }
                }
    }

    private static float tap(float[] x, int base, int h, int w, int y, int xx) {
        return y >= 0 && y < h && xx >= 0 && xx < w ? x[base + y * w + xx] : 0f;
    }

    private static void scatter(float[] gx, int base, int h, int w, int y, int xx, float v) {
        if (y >= 0 && y < h && xx >= 0 && xx < w) gx[base + y * w + xx] += v;
    }
}
