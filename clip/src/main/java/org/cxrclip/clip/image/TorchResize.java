package org.cxrclip.clip.image;

/**
 * {@code torch.nn.functional.interpolate(mode='bicubic', align_corners=False)} on a float plane, as
 * torchvision's tensor {@code Resize(..., BICUBIC)} runs it without antialiasing (CheXzero's 320 → 224
 * step): Keys cubic with a = −0.75, source coordinate (i + 0.5)·in/out − 0.5, four taps with indices
 * clamped to the border, no support scaling on downscale (so it aliases, exactly like torch).
 *
 * <p>Arithmetic in float as torch's CPU kernel does for float tensors; torch sums the four width taps of
 * each of the four rows, then the rows, which is what the two separable passes here compute in the same
 * order. Results agree with torch to float rounding (about 1e-6 relative to the inputs' magnitude).
 */
public final class TorchResize {
    private static final float A = -0.75f;

    private TorchResize() {
    }

    /** Resizes a (h, w) plane to (outH, outW). */
    public static float[] bicubic(float[] src, int w, int h, int outW, int outH) {
        if (w <= 0 || h <= 0 || outW <= 0 || outH <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + w + "x" + h + " -> " + outW + "x" + outH);
        }
        if (src.length != w * h) {
            throw new IllegalArgumentException("plane has " + src.length + " values, expected " + w + "x" + h);
        }
        int[] xi = new int[outW * 4];
        float[] xw = new float[outW * 4];
        taps(w, outW, xi, xw);
        int[] yi = new int[outH * 4];
        float[] yw = new float[outH * 4];
        taps(h, outH, yi, yw);

        float[] rows = new float[h * outW];  // (h, outW): width taps of every source row
        for (int y = 0; y < h; y++) {
            int in = y * w;
            int o = y * outW;
            for (int x = 0; x < outW; x++) {
                int t = 4 * x;
                float s = src[in + xi[t]] * xw[t];
                s += src[in + xi[t + 1]] * xw[t + 1];
                s += src[in + xi[t + 2]] * xw[t + 2];
                s += src[in + xi[t + 3]] * xw[t + 3];
                rows[o + x] = s;
            }
        }
        float[] out = new float[outH * outW];  // (outH, outW)
        for (int y = 0; y < outH; y++) {
            int t = 4 * y;
            int r0 = yi[t] * outW;
            int r1 = yi[t + 1] * outW;
            int r2 = yi[t + 2] * outW;
            int r3 = yi[t + 3] * outW;
            float w0 = yw[t];
            float w1 = yw[t + 1];
            float w2 = yw[t + 2];
            float w3 = yw[t + 3];
            int o = y * outW;
            for (int x = 0; x < outW; x++) {
                float s = rows[r0 + x] * w0;
                s += rows[r1 + x] * w1;
                s += rows[r2 + x] * w2;
                s += rows[r3 + x] * w3;
                out[o + x] = s;
            }
        }
        return out;
    }

    // indices (clamped) and weights of the four taps of each output position
    private static void taps(int inSize, int outSize, int[] index, float[] weight) {
        float scale = (float) inSize / outSize;
        for (int i = 0; i < outSize; i++) {
            float real = (float) (scale * (i + 0.5) - 0.5);  // torch evaluates this line in double
            int base = (int) Math.floor(real);
            float t = real - base;
            weight[4 * i] = far(t + 1.0f);
            weight[4 * i + 1] = near(t);
            weight[4 * i + 2] = near(1.0f - t);
            weight[4 * i + 3] = far((1.0f - t) + 1.0f);
            for (int j = 0; j < 4; j++) {
                index[4 * i + j] = Math.clamp(base - 1 + j, 0, inSize - 1);
            }
        }
    }

    // torch cubic_convolution1: |x| <= 1
    private static float near(float x) {
        return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    // torch cubic_convolution2: 1 < |x| < 2
    private static float far(float x) {
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }
}
