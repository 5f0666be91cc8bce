package org.cxrclip.train.synth;

import org.cxrclip.engine.Rng;

/**
 * A square float raster of radiographic density (0 = black air, 1 = white metal) with a pose: shapes are given
 * in canonical patient coordinates (u right on the image = patient's left, v down; the thorax fills [0, 1]²)
 * and land rotated, scaled and shifted, so several views of one patient differ a little. Each primitive walks
 * only the pixels of its bounding box and evaluates its shape in canonical units, so a 224² image costs a few
 * milliseconds. Edges are ramps about one pixel wide: cues stay visible, without aliasing, at 32–224 px.
 */
final class Canvas {
    /** A shape's value at canonical (u, v): density to add, or coverage in [0, 1] for {@link #over}. */
    @FunctionalInterface
    interface Field {
        double at(double u, double v);
    }

    final int size;
    final float[] d;
    private final double cos, sin, scale, tx, ty;

    /** {@code angle} in radians, {@code scale} around the centre, {@code tx, ty} shifts in image fractions. */
    Canvas(int size, double angle, double scale, double tx, double ty) {
        this.size = size;
        this.d = new float[size * size];
        this.cos = Math.cos(angle);
        this.sin = Math.sin(angle);
        this.scale = scale;
        this.tx = tx;
        this.ty = ty;
    }

    /** Canonical units per pixel: the width of a one-pixel edge. */
    double px() {
        return 1.0 / (size * scale);
    }

    /** Adds {@code f(u, v)} to the density inside the canonical box [u0, u1] × [v0, v1]. */
    void add(double u0, double v0, double u1, double v1, Field f) {
        walk(u0, v0, u1, v1, f, Double.NaN);
    }

    /** Blends towards {@code level} by the coverage {@code f(u, v)} ∈ [0, 1]: opaque tissue over what lies behind. */
    void over(double u0, double v0, double u1, double v1, double level, Field f) {
        walk(u0, v0, u1, v1, f, level);
    }

    private void walk(double u0, double v0, double u1, double v1, Field f, double level) {
        double xMin = Double.MAX_VALUE, xMax = -Double.MAX_VALUE, yMin = Double.MAX_VALUE, yMax = -Double.MAX_VALUE;
        for (int k = 0; k < 4; k++) {
            double u = (k & 1) == 0 ? u0 : u1, v = (k & 2) == 0 ? v0 : v1;
            double x = toX(u, v), y = toY(u, v);
            xMin = Math.min(xMin, x);
            xMax = Math.max(xMax, x);
            yMin = Math.min(yMin, y);
            yMax = Math.max(yMax, y);
        }
        int x0 = Math.max(0, (int) Math.floor(xMin * size) - 1), x1 = Math.min(size, (int) Math.ceil(xMax * size) + 1);
        int y0 = Math.max(0, (int) Math.floor(yMin * size) - 1), y1 = Math.min(size, (int) Math.ceil(yMax * size) + 1);
        boolean blend = !Double.isNaN(level);
        for (int y = y0; y < y1; y++) {
            double py = (y + 0.5) / size - 0.5 - ty;
            for (int x = x0; x < x1; x++) {
                double px = (x + 0.5) / size - 0.5 - tx;
                // inverse pose: rotate back, unscale
                double u = (cos * px + sin * py) / scale + 0.5, v = (-sin * px + cos * py) / scale + 0.5;
                if (u < u0 || u > u1 || v < v0 || v > v1) continue;
                double val = f.at(u, v);
                if (val == 0) continue;
                int i = y * size + x;
                d[i] = blend ? (float) (d[i] + val * (level - d[i])) : (float) (d[i] + val);
            }
        }
    }

    private double toX(double u, double v) {
        double a = (u - 0.5) * scale, b = (v - 0.5) * scale;
        return cos * a - sin * b + 0.5 + tx;
    }

    private double toY(double u, double v) {
        double a = (u - 0.5) * scale, b = (v - 0.5) * scale;
        return sin * a + cos * b + 0.5 + ty;
    }

    /** Coverage of a ramp edge: 1 well inside (signed distance {@code dist} < 0), 0 outside. */
    static double edge(double dist, double width) {
        double t = 0.5 - dist / width;
        return t <= 0 ? 0 : t >= 1 ? 1 : t;
    }

    /** Approximate signed distance to an axis-aligned ellipse (negative inside). */
    static double ellipseDist(double u, double v, double cx, double cy, double rx, double ry) {
        double a = (u - cx) / rx, b = (v - cy) / ry;
        return (Math.sqrt(a * a + b * b) - 1) * Math.min(rx, ry);
    }

    /** Adds {@code value} inside an ellipse with a soft edge. */
    void ellipse(double cx, double cy, double rx, double ry, double value) {
        double e = Math.max(px(), 0.15 * Math.min(rx, ry));
        add(cx - rx - e, cy - ry - e, cx + rx + e, cy + ry + e,
                (u, v) -> value * edge(ellipseDist(u, v, cx, cy, rx, ry), e));
    }

    /**
     * A tapered stroke along the polyline {@code pts} (u0, v0, u1, v1, ...), half-width going linearly from
     * {@code hw0} to {@code hw1}; pixels take the nearest segment only, so joints are not counted twice.
     */
    void stroke(double[] pts, double hw0, double hw1, double value) {
        stroke(pts, hw0, hw1, value, null);
    }

    /** As {@link #stroke(double[], double, double, double)}, with the value multiplied by {@code mask(u, v)}. */
    void stroke(double[] pts, double hw0, double hw1, double value, Field mask) {
        int n = pts.length / 2;
        if (n < 2) throw new IllegalArgumentException("stroke needs at least 2 points, got " + n);
        double[] cum = new double[n];
        for (int i = 1; i < n; i++)
            cum[i] = cum[i - 1] + Math.hypot(pts[2 * i] - pts[2 * i - 2], pts[2 * i + 1] - pts[2 * i - 1]);
        double total = Math.max(cum[n - 1], 1e-9), hw = Math.max(hw0, hw1), e = px();
        double u0 = Double.MAX_VALUE, u1 = -Double.MAX_VALUE, v0 = Double.MAX_VALUE, v1 = -Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            u0 = Math.min(u0, pts[2 * i]);
            u1 = Math.max(u1, pts[2 * i]);
            v0 = Math.min(v0, pts[2 * i + 1]);
            v1 = Math.max(v1, pts[2 * i + 1]);
        }
        double m = hw + 2 * e;
        // per-segment boxes: most pixels of a long stroke's box are far from most of its segments
        double[] box = new double[4 * (n - 1)];
        for (int i = 0; i + 1 < n; i++) {
            box[4 * i] = Math.min(pts[2 * i], pts[2 * i + 2]) - m;
            box[4 * i + 1] = Math.max(pts[2 * i], pts[2 * i + 2]) + m;
            box[4 * i + 2] = Math.min(pts[2 * i + 1], pts[2 * i + 3]) - m;
            box[4 * i + 3] = Math.max(pts[2 * i + 1], pts[2 * i + 3]) + m;
        }
        add(u0 - m, v0 - m, u1 + m, v1 + m, (u, v) -> {
            double best = Double.MAX_VALUE, bestS = 0;
            for (int i = 0; i + 1 < n; i++) {
                if (u < box[4 * i] || u > box[4 * i + 1] || v < box[4 * i + 2] || v > box[4 * i + 3]) continue;
                double ax = pts[2 * i], ay = pts[2 * i + 1], bx = pts[2 * i + 2] - ax, by = pts[2 * i + 3] - ay;
                double len2 = bx * bx + by * by;
                double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((u - ax) * bx + (v - ay) * by) / len2));
                double dx = u - ax - t * bx, dy = v - ay - t * by, dist = dx * dx + dy * dy;
                if (dist < best) {
                    best = dist;
                    bestS = cum[i] + t * Math.sqrt(len2);
                }
            }
            if (best == Double.MAX_VALUE) return 0;
            double w = hw0 + (hw1 - hw0) * bestS / total;
            double cov = edge(Math.sqrt(best) - w, e);
            return cov == 0 ? 0 : mask == null ? value * cov : value * cov * mask.at(u, v);
        });
    }

    /**
     * The 8-bit image: density through a contrast/brightness exposure curve plus quantum noise of standard
     * deviation {@code noise} (in [0, 1] units). The noise is the sum of four uniforms from one 64-bit draw
     * (Irwin–Hall, near-Gaussian within ±3.5σ): a Box–Muller Gaussian per pixel cost as much as all the drawing.
     */
    byte[] toGray(double contrast, double brightness, double noise, Rng rng) {
        byte[] out = new byte[d.length];
        double scale = noise * Math.sqrt(3) / 65536.0; // a sum of 4 U(0, 1) has variance 1/3
        for (int i = 0; i < d.length; i++) {
            long r = rng.nextLong();
            double sum = (r & 0xFFFF) + ((r >>> 16) & 0xFFFF) + ((r >>> 32) & 0xFFFF) + (r >>> 48) - 2 * 65535.0;
            double g = 0.5 + contrast * (d[i] - 0.45) + brightness + scale * sum;
            int q = (int) Math.round(g * 255);
            out[i] = (byte) (q < 0 ? 0 : Math.min(q, 255));
        }
        return out;
    }
}
