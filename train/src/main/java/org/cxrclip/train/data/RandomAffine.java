package org.cxrclip.train.data;

import org.cxrclip.engine.Rng;

/**
 * torchvision's {@code RandomAffine(degrees, translate, scale)} on float planes, as the thesis augments
 * training images: angle ~ U(−degrees, degrees), shift tx = round(U(−t·w, t·w)) (ty likewise with h), zoom ~
 * U(smin, smax), no shear; fill 0 (black, before normalisation, as torchvision fills the PIL image).
 *
 * <p>The warp is PIL's {@code Image.transform(AFFINE)} with torchvision's inverse matrix about the centre
 * (w/2, h/2): output pixel (x, y) samples the input at M·(x + ½, y + ½). NEAREST (torchvision's default, what
 * the thesis used) takes the pixel containing that point (floor); BILINEAR is PIL's bilinear filter (a point
 * outside the image is the fill, neighbours inside clamp to the edge). Golden test against Pillow 9.4. Parameters come from our own seeded {@link Rng}, not torch's,
 * so the warp matches torchvision for given parameters but not for a given torch seed.
 */
public final class RandomAffine {
    public enum Interpolation { NEAREST, BILINEAR }

    /** One draw: rotation in degrees (counter-clockwise), integer shifts in pixels, zoom factor. */
    public record Params(double angle, double tx, double ty, double scale) {}

    private final double degrees, translate, minScale, maxScale;
    private final Interpolation interpolation;

    /** The paper's and thesis' augmentation: ±45°, ±15 % shift, zoom 0.9–1.1, nearest. */
    public static RandomAffine paper() {
        return new RandomAffine(45, 0.15, 0.9, 1.1, Interpolation.NEAREST);
    }

    public RandomAffine(double degrees, double translate, double minScale, double maxScale, Interpolation interpolation) {
        if (degrees < 0 || translate < 0 || translate > 1 || !(minScale > 0) || maxScale < minScale)
            throw new IllegalArgumentException("bad affine ranges: degrees " + degrees + ", translate " + translate
                    + ", scale " + minScale + ".." + maxScale);
        this.degrees = degrees;
        this.translate = translate;
        this.minScale = minScale;
        this.maxScale = maxScale;
        this.interpolation = interpolation;
    }

    /** The draw for {@code seed} on a w×h image (torchvision's order: angle, shifts, scale). */
    public Params sample(long seed, int w, int h) {
        Rng r = new Rng(seed);
        double angle = -degrees + 2 * degrees * r.nextDouble();
        double maxDx = translate * w, maxDy = translate * h;
        double tx = Math.rint(-maxDx + 2 * maxDx * r.nextDouble());
        double ty = Math.rint(-maxDy + 2 * maxDy * r.nextDouble());
        double scale = minScale + (maxScale - minScale) * r.nextDouble();
        return new Params(angle, tx, ty, scale);
    }

    /** torchvision's {@code _get_inverse_affine_matrix} with zero shear: output → input coordinates. */
    static double[] inverseMatrix(Params p, int w, int h) {
        double rot = Math.toRadians(p.angle());
        double cos = Math.cos(rot), sin = Math.sin(rot), cx = w * 0.5, cy = h * 0.5;
        double[] m = {cos / p.scale(), sin / p.scale(), 0, -sin / p.scale(), cos / p.scale(), 0};
        m[2] += m[0] * (-cx - p.tx()) + m[1] * (-cy - p.ty()) + cx;
        m[5] += m[3] * (-cx - p.tx()) + m[4] * (-cy - p.ty()) + cy;
        return m;
    }

    /** Warps a (h, w) plane into {@code dst} (same size). */
    public void warp(float[] src, float[] dst, int w, int h, Params p) {
        double[] m = inverseMatrix(p, w, h);
        if (interpolation == Interpolation.NEAREST && fitsFixedPoint(m, w, h)) {
            warpNearestFixed(src, dst, w, h, m);
            return;
        }
        for (int y = 0; y < h; y++) {
            double yc = y + 0.5;
            for (int x = 0; x < w; x++) {
                double xc = x + 0.5;
                double xi = m[0] * xc + m[1] * yc + m[2];
                double yi = m[3] * xc + m[4] * yc + m[5];
                dst[y * w + x] = interpolation == Interpolation.NEAREST ? nearest(src, w, h, xi, yi) : bilinear(src, w, h, xi, yi);
            }
        }
    }

    // Pillow's affine_fixed: nearest neighbour in 16.16 fixed point whenever coordinates stay below 2^15, which
    // decides differently from exact arithmetic for points within 2^-16 of a pixel edge; we follow it exactly.
    private static boolean fitsFixedPoint(double[] m, int w, int h) {
        return Math.abs(w * m[0] + h * m[1] + m[2]) < 32768.0 && Math.abs(w * m[3] + h * m[4] + m[5]) < 32768.0;
    }

    private static void warpNearestFixed(float[] src, float[] dst, int w, int h, double[] m) {
        int a0 = fix(m[0]), a1 = fix(m[1]), a3 = fix(m[3]), a4 = fix(m[4]);
        int a2 = fix(m[2] + m[0] * 0.5 + m[1] * 0.5), a5 = fix(m[5] + m[3] * 0.5 + m[4] * 0.5);
        for (int y = 0; y < h; y++) {
            int xx = a2, yy = a5;
            for (int x = 0; x < w; x++) {
                int xi = xx >> 16, yi = yy >> 16;
                dst[y * w + x] = xi >= 0 && xi < w && yi >= 0 && yi < h ? src[yi * w + xi] : 0f;
                xx += a0;
                yy += a3;
            }
            a2 += a1;
            a5 += a4;
        }
    }

    private static int fix(double v) {
        return (int) Math.floor(v * 65536.0 + 0.5);
    }

    private static float nearest(float[] src, int w, int h, double xi, double yi) {
        int x = (int) Math.floor(xi), y = (int) Math.floor(yi);
        return x < 0 || y < 0 || x >= w || y >= h ? 0f : src[y * w + x];
    }

    // PIL's bilinear_filter: a point outside the image is the fill; inside, neighbours clamp to the edge
    private static float bilinear(float[] src, int w, int h, double xi, double yi) {
        if (xi < 0 || xi >= w || yi < 0 || yi >= h) return 0f;
        double xs = xi - 0.5, ys = yi - 0.5;
        int x0 = (int) Math.floor(xs), y0 = (int) Math.floor(ys);
        double dx = xs - x0, dy = ys - y0;
        int xa = clamp(x0, w), xb = clamp(x0 + 1, w), ya = clamp(y0, h);
        double v1 = src[ya * w + xa] + (src[ya * w + xb] - src[ya * w + xa]) * dx;
        double v2 = v1;
        if (y0 + 1 >= 0 && y0 + 1 < h) v2 = src[(y0 + 1) * w + xa] + (src[(y0 + 1) * w + xb] - src[(y0 + 1) * w + xa]) * dx;
        return (float) (v1 + (v2 - v1) * dy);
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : v >= n ? n - 1 : v;
    }

}
