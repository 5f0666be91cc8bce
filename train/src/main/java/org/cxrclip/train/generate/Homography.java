package org.cxrclip.train.generate;

/**
 * 3×3 projective maps of pixel coordinates (row-major doubles, h33 = 1 after {@link #fromPoints}) for the random
 * warps of {@link GuidanceAugmentations}: identity, affine (rotation, shear, translation about the centre) and
 * the perspective map sending four points to four others.
 */
final class Homography {
    private Homography() {}

    static double[] identity() {
        return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
    }

    /** a·b. */
    static double[] multiply(double[] a, double[] b) {
        double[] c = new double[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                c[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
        return c;
    }

    /**
     * The affine map (kornia's RandomAffine without scaling): shear along x by {@code shearDeg}, then rotation by
     * {@code angleDeg}, both about the centre (cx, cy), then translation by (tx, ty) pixels.
     */
    static double[] affine(double angleDeg, double shearDeg, double tx, double ty, double cx, double cy) {
        double a = Math.toRadians(angleDeg), sh = Math.tan(Math.toRadians(shearDeg));
        double cos = Math.cos(a), sin = Math.sin(a);
        double[] rotShear = {cos, cos * sh - sin, 0, sin, sin * sh + cos, 0, 0, 0, 1}; // R · [[1, sh], [0, 1]]
        double[] toOrigin = {1, 0, -cx, 0, 1, -cy, 0, 0, 1}, back = {1, 0, cx + tx, 0, 1, cy + ty, 0, 0, 1};
        return multiply(back, multiply(rotShear, toOrigin));
    }

    /** The inverse of an invertible 3×3 matrix. */
    static double[] invert(double[] m) {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
        double A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
        double det = a * A + b * B + c * C;
        if (Math.abs(det) < 1e-12) throw new IllegalArgumentException("homography is singular (det " + det + ")");
        return new double[] {A / det, -(b * i - c * h) / det, (b * f - c * e) / det,
                B / det, (a * i - c * g) / det, -(a * f - c * d) / det,
                C / det, -(a * h - b * g) / det, (a * e - b * d) / det};
    }

    /**
     * The projective map H with H·from[k] ∝ to[k] for four points (x0, y0, ..., x3, y3), no three collinear:
     * the 8×8 linear system of the direct linear transform with h33 = 1, solved by Gaussian elimination.
     */
    static double[] fromPoints(double[] from, double[] to) {
        double[][] a = new double[8][9];
        for (int k = 0; k < 4; k++) {
            double x = from[2 * k], y = from[2 * k + 1], u = to[2 * k], v = to[2 * k + 1];
            a[2 * k] = new double[] {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
            a[2 * k + 1] = new double[] {0, 0, 0, x, y, 1, -v * x, -v * y, v};
        }
        for (int col = 0; col < 8; col++) {
            int pivot = col;
            for (int r = col + 1; r < 8; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
            if (Math.abs(a[pivot][col]) < 1e-12) throw new IllegalArgumentException("perspective points are degenerate");
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (int r = 0; r < 8; r++) {
                if (r == col) continue;
                double f = a[r][col] / a[col][col];
                for (int c = col; c < 9; c++) a[r][c] -= f * a[col][c];
            }
        }
        double[] h = new double[9];
        for (int r = 0; r < 8; r++) h[r] = a[r][8] / a[r][r];
        h[8] = 1;
        return h;
    }

    /** Maps (x, y) through m; returns {x', y'}, or null where the point goes to infinity. */
    static double[] apply(double[] m, double x, double y) {
        double w = m[6] * x + m[7] * y + m[8];
        if (Math.abs(w) < 1e-9) return null;
        return new double[] {(m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w};
    }
}
