package org.cxrclip.clip.image;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PIL's separable antialiased resampling (Pillow 9.4 {@code libImaging/Resample.c}) on float planes.
 *
 * <p>Same coefficient tables as PIL: the filter support grows with the downscale factor (that is the
 * antialiasing), window bounds are rounded the way PIL rounds them, and each output's taps are divided by
 * their sum. Horizontal pass first, over only the source rows the vertical pass will read; a pass whose
 * size does not change is skipped, as in PIL.
 *
 * <p>Two precisions, as PIL has two code paths: {@link #resizeUint8} reproduces PIL's 8-bit modes
 * ('L', 'RGB', ...) bit for bit: coefficients in 22-bit fixed point, int accumulation, and rounding plus
 * clipping to 0..255 after each pass (the input must hold integers 0..255). {@link #resizeFloat}
 * reproduces PIL's 'F' mode: double coefficients and accumulation, stored as float after each pass.
 *
 * <p>Coefficient tables are cached per (input size, output size, filter), since a data set resizes
 * thousands of images between the same few sizes.
 */
public final class PilResample {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int MAX_CACHED_TABLES = 512;
    private static final Map<Long, Coefficients> CACHE = new ConcurrentHashMap<>();

    private PilResample() {
    }

    /** PIL's antialiasing filters. */
    public enum Filter {
        /** Keys cubic with a = −0.5 (PIL's BICUBIC; torchvision's PIL-side BICUBIC). */
        BICUBIC(2.0),
        /** Lanczos-3 windowed sinc (PIL's LANCZOS, formerly ANTIALIAS). */
        LANCZOS(3.0);

        final double support;

        Filter(double support) {
            this.support = support;
        }

        double weight(double x) {
            if (this == BICUBIC) {
                final double a = -0.5;
                x = Math.abs(x);
                if (x < 1.0) {
                    return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                }
                if (x < 2.0) {
                    return (((x - 5) * x + 8) * x - 4) * a;
                }
                return 0.0;
            }
            return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
        }

        private static double sinc(double x) {
            if (x == 0.0) {
                return 1.0;
            }
            x = x * Math.PI;
            return Math.sin(x) / x;
        }
    }

    /**
     * One axis' taps. Output {@code i} reads {@code count[i]} inputs from {@code first[i]} with weights
     * {@code weights[i*kernelSize ...]} (and the same weights in fixed point in {@code fixed}).
     */
    record Coefficients(int kernelSize, int[] first, int[] count, double[] weights, int[] fixed) {
    }

    static Coefficients coefficients(int inSize, int outSize, Filter filter) {
        long key = ((long) inSize << 32) | ((long) outSize << 1) | filter.ordinal();
        Coefficients c = CACHE.get(key);
        if (c == null) {
            c = computeCoefficients(inSize, outSize, filter);
            if (CACHE.size() >= MAX_CACHED_TABLES) {
                CACHE.clear();
            }
            CACHE.put(key, c);
        }
        return c;
    }

    private static Coefficients computeCoefficients(int inSize, int outSize, Filter filter) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filter.support * filterScale;
        int kernelSize = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        double[] weights = new double[outSize * kernelSize];
        int[] fixed = new int[outSize * kernelSize];
        double invScale = 1.0 / filterScale;
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double total = 0.0;
            int base = xx * kernelSize;
            for (int x = 0; x < xmax; x++) {
                double w = filter.weight((x + xmin - center + 0.5) * invScale);
                weights[base + x] = w;
                total += w;
            }
            for (int x = 0; x < xmax; x++) {
                if (total != 0.0) {
                    weights[base + x] /= total;
                }
                double k = weights[base + x] * (1 << PRECISION_BITS);
                fixed[base + x] = (int) (k < 0 ? k - 0.5 : k + 0.5);
            }
            first[xx] = xmin;
            count[xx] = xmax;
        }
        return new Coefficients(kernelSize, first, count, weights, fixed);
    }

    /** PIL 8-bit resize of a (h, w) plane holding integers 0..255; returns (outH, outW) integers 0..255. */
    public static float[] resizeUint8(float[] src, int w, int h, int outW, int outH, Filter filter) {
        return resize(src, w, h, outW, outH, filter, true);
    }

    /** PIL 'F'-mode resize of a (h, w) float plane; returns (outH, outW). */
    public static float[] resizeFloat(float[] src, int w, int h, int outW, int outH, Filter filter) {
        return resize(src, w, h, outW, outH, filter, false);
    }

    /**
     * PIL's NEAREST resize (what PIL uses for 'P' and '1' images whatever filter is asked), as its
     * {@code ImagingScaleAffine}: the source coordinate starts at scale/2 and accumulates {@code += scale} in
     * double, truncated per pixel. The accumulation (not (i + 0.5)·scale) decides ties: 2 → 5 gives 0,0,1,1,1.
     */
    public static float[] resizeNearest(float[] src, int w, int h, int outW, int outH) {
        checkSizes(src, w, h, outW, outH);
        int[] xs = nearestIndices(w, outW);
        int[] ys = nearestIndices(h, outH);
        float[] out = new float[outW * outH];
        for (int y = 0; y < outH; y++) {
            int row = ys[y] * w;
            for (int x = 0; x < outW; x++) {
                out[y * outW + x] = src[row + xs[x]];
            }
        }
        return out;
    }

    private static int[] nearestIndices(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double coord = scale * 0.5;
        int[] index = new int[outSize];
        for (int i = 0; i < outSize; i++) {
            index[i] = Math.min((int) coord, inSize - 1);
            coord += scale;
        }
        return index;
    }

    private static float[] resize(float[] src, int w, int h, int outW, int outH, Filter filter, boolean uint8) {
        checkSizes(src, w, h, outW, outH);
        if (w == outW && h == outH) {
            return src.clone();
        }
        Coefficients horizontal = coefficients(w, outW, filter);
        Coefficients vertical = coefficients(h, outH, filter);
        float[] plane = src;
        int rowShift = 0;
        int planeW = w;
        if (outW != w) {
            // only the rows the vertical pass reads
            int firstRow = outH != h ? vertical.first[0] : 0;
            int lastRow = outH != h ? vertical.first[outH - 1] + vertical.count[outH - 1] : h;
            plane = horizontalPass(src, w, firstRow, lastRow - firstRow, horizontal, outW, uint8);
            rowShift = firstRow;
            planeW = outW;
        }
        if (outH != h) {
            plane = verticalPass(plane, planeW, rowShift, vertical, outH, uint8);
        }
        return plane;
    }

    // (rows, w) from src rows [firstRow, firstRow + rows) -> (rows, outW)
    private static float[] horizontalPass(float[] src, int w, int firstRow, int rows, Coefficients c, int outW,
                                          boolean uint8) {
        float[] out = new float[rows * outW];
        int k = c.kernelSize();
        for (int r = 0; r < rows; r++) {
            int in = (firstRow + r) * w;
            int o = r * outW;
            for (int xx = 0; xx < outW; xx++) {
                int from = in + c.first[xx];
                int n = c.count[xx];
                int base = xx * k;
                if (uint8) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int t = 0; t < n; t++) {
                        ss += (int) src[from + t] * c.fixed[base + t];
                    }
                    out[o + xx] = clip8(ss);
                } else {
                    double ss = 0.0;
                    for (int t = 0; t < n; t++) {
                        ss += src[from + t] * c.weights[base + t];
                    }
                    out[o + xx] = (float) ss;
                }
            }
        }
        return out;
    }

    // (rows, w) whose row 0 is source row rowShift -> (outH, w)
    private static float[] verticalPass(float[] src, int w, int rowShift, Coefficients c, int outH, boolean uint8) {
        float[] out = new float[outH * w];
        int k = c.kernelSize();
        int[] accInt = uint8 ? new int[w] : null;
        double[] accDouble = uint8 ? null : new double[w];
        for (int yy = 0; yy < outH; yy++) {
            int firstRow = c.first[yy] - rowShift;
            int n = c.count[yy];
            int base = yy * k;
            int o = yy * w;
            if (uint8) {
                java.util.Arrays.fill(accInt, 1 << (PRECISION_BITS - 1));
                for (int t = 0; t < n; t++) {
                    int weight = c.fixed[base + t];
                    int in = (firstRow + t) * w;
                    for (int x = 0; x < w; x++) {
                        accInt[x] += (int) src[in + x] * weight;
                    }
                }
                for (int x = 0; x < w; x++) {
                    out[o + x] = clip8(accInt[x]);
                }
            } else {
                java.util.Arrays.fill(accDouble, 0.0);
                for (int t = 0; t < n; t++) {
                    double weight = c.weights[base + t];
                    int in = (firstRow + t) * w;
                    for (int x = 0; x < w; x++) {
                        accDouble[x] += src[in + x] * weight;
                    }
                }
                for (int x = 0; x < w; x++) {
                    out[o + x] = (float) accDouble[x];
                }
            }
        }
        return out;
    }

    private static int clip8(int fixedPoint) {
        int v = fixedPoint >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static void checkSizes(float[] src, int w, int h, int outW, int outH) {
        if (w <= 0 || h <= 0 || outW <= 0 || outH <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + w + "x" + h + " -> " + outW + "x" + outH);
        }
        if (src.length != w * h) {
            throw new IllegalArgumentException("plane has " + src.length + " values, expected " + w + "x" + h);
        }
    }
}
