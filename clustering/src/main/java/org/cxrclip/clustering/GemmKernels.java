package org.cxrclip.clustering;

import java.util.HashMap;
import java.util.Map;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.backend.HostStorage;
import org.cxrclip.engine.backend.MatmulKernels;

/**
 * {@link BlockKernels} on the engine's float GEMM. Per-dimension types expand
 * δ² = Σ_j x_j²/σ_j² − 2 Σ_j x_j μ_j/σ_j² + Σ_j μ_j²/σ_j² so one GEMM [x, x²] (b, 2d) · B (2d, K) gives all K
 * distances; matrix types whiten all components at once, Y = x · [L_1⁻ᵀ … L_K⁻ᵀ] (b, K·d), then
 * δ² = ‖y_k − L_k⁻¹μ_k‖². The M-step sums are GEMMs too: wᵀ·[x, x²] (K, 2d), or wᵀ·x and, per component,
 * (√w∘x)ᵀ(√w∘x) (d, d). Each tile's float result (≤ {@link #TILE} rows) is added into double accumulators, so
 * float rounding stays at tile scale. The expansion loses precision when |μ|/σ is huge; the caller centres the
 * data, and regCovar bounds σ from below. Work buffers are per thread and reused.
 */
final class GemmKernels extends BlockKernels {
    static final int TILE = 512;
    private static final Backend CPU = Backends.cpu();
    private static final ThreadLocal<Map<String, Tensor>> BUFFERS = ThreadLocal.withInitial(HashMap::new);

    private final Components comps;
    private final boolean matrixStats;
    private final Tensor b;        // (2d, K) per-dimension; (d, K·d) matrix
    private final double[] shift;  // (K): Σ μ²/σ² per-dimension; (K, d): L⁻¹μ matrix
    private final MatmulKernels mm = CPU.matmul();

    GemmKernels(float[] x, Components comps, boolean matrixStats) {
        super(x, comps.d, comps.k);
        this.comps = comps;
        this.matrixStats = matrixStats;
        if (comps.type.matrix()) {
            b = Tensor.zeros(CPU, d, k * d);
            float[] bv = HostStorage.array(b);
            shift = new double[k * d];
            for (int c = 0; c < k; c++) {
                int wo = c * d * d;
                for (int r = 0; r < d; r++) {
                    double m = 0;
                    for (int j = 0; j <= r; j++) {
                        double l = comps.whiten[wo + r * d + j];
                        bv[j * k * d + c * d + r] = (float) l;
                        m += l * comps.means[c * d + j];
                    }
                    shift[c * d + r] = m;
                }
            }
        } else {
            b = Tensor.zeros(CPU, 2 * d, k);
            float[] bv = HostStorage.array(b);
            shift = new double[k];
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double p = comps.prec[c * d + j], m = comps.means[c * d + j];
                    bv[j * k + c] = (float) (-2 * m * p);
                    bv[(d + j) * k + c] = (float) p;
                    s += m * m * p;
                }
                shift[c] = s;
            }
        }
    }

    /** A (rows, cols) tensor from this thread's buffer called name, grown as needed. */
    private static Tensor buffer(String name, int rows, int cols) {
        Map<String, Tensor> m = BUFFERS.get();
        Tensor t = m.get(name);
        int n = rows * cols;
        if (t == null || t.numel() < n) {
            t = Tensor.zeros(CPU, Math.max(n, t == null ? 0 : t.numel() * 3 / 2));
            m.put(name, t);
        }
        return t.rows(0, n).view(rows, cols);
    }

    private Tensor rowsAndSquares(int r0, int rows) { // (rows, 2d): [x, x²]
        Tensor xx = buffer("xx", rows, 2 * d);
        float[] v = HostStorage.array(xx);
        for (int i = 0; i < rows; i++) {
            int xo = (r0 + i) * d, o = i * 2 * d;
            for (int j = 0; j < d; j++) {
                float t = x[xo + j];
                v[o + j] = t;
                v[o + d + j] = t * t;
            }
        }
        return xx;
    }

    private Tensor rowsOf(int r0, int rows) { // (rows, d)
        Tensor xt = buffer("x", rows, d);
        System.arraycopy(x, r0 * d, HostStorage.array(xt), 0, rows * d);
        return xt;
    }

    @Override
    void distances(int r0, int n, double[] dist) {
        for (int t0 = 0; t0 < n; t0 += TILE) {
            int rows = Math.min(TILE, n - t0);
            if (comps.type.matrix()) {
                Tensor y = buffer("y", rows, k * d);
                mm.gemm(false, false, 1f, rowsOf(r0 + t0, rows), b, 0f, y);
                float[] yv = HostStorage.array(y);
                for (int i = 0; i < rows; i++) {
                    for (int c = 0; c < k; c++) {
                        int yo = i * k * d + c * d;
                        double s = 0;
                        for (int j = 0; j < d; j++) {
                            double e = yv[yo + j] - shift[c * d + j];
                            s += e * e;
                        }
                        dist[(t0 + i) * k + c] = s;
                    }
                }
            } else {
                Tensor out = buffer("dist", rows, k);
                mm.gemm(false, false, 1f, rowsAndSquares(r0 + t0, rows), b, 0f, out);
                float[] ov = HostStorage.array(out);
                for (int i = 0; i < rows; i++)
                    for (int c = 0; c < k; c++) dist[(t0 + i) * k + c] = Math.max(0, ov[i * k + c] + shift[c]);
            }
        }
    }

    @Override
    void accumulate(int r0, int n, double[] w, SufficientStats s) {
        for (int t0 = 0; t0 < n; t0 += TILE) {
            int rows = Math.min(TILE, n - t0);
            Tensor wt = buffer("w", rows, k);
            float[] wv = HostStorage.array(wt);
            for (int i = 0; i < rows * k; i++) wv[i] = (float) w[t0 * k + i];
            if (matrixStats) {
                Tensor xt = rowsOf(r0 + t0, rows);
                float[] xv = HostStorage.array(xt);
                Tensor g = buffer("g", k, d);
                mm.gemm(true, false, 1f, wt, xt, 0f, g);
                add(HostStorage.array(g), k * d, s.sx, 0);
                Tensor z = buffer("z", rows, d), sq = buffer("sq", d, d);
                float[] zv = HostStorage.array(z);
                for (int c = 0; c < k; c++) {
                    for (int i = 0; i < rows; i++) {
                        float r = (float) Math.sqrt(Math.max(0, w[(t0 + i) * k + c]));
                        for (int j = 0; j < d; j++) zv[i * d + j] = r * xv[i * d + j];
                    }
                    mm.gemm(true, false, 1f, z, z, 0f, sq);
                    add(HostStorage.array(sq), d * d, s.second, c * d * d);
                }
            } else {
                Tensor g = buffer("g", k, 2 * d);
                mm.gemm(true, false, 1f, wt, rowsAndSquares(r0 + t0, rows), 0f, g);
                float[] gv = HostStorage.array(g);
                for (int c = 0; c < k; c++) {
                    for (int j = 0; j < d; j++) {
                        s.sx[c * d + j] += gv[c * 2 * d + j];
                        s.second[c * d + j] += gv[c * 2 * d + d + j];
                    }
                }
            }
        }
    }

    private static void add(float[] src, int n, double[] dst, int off) {
        for (int i = 0; i < n; i++) dst[off + i] += src[i];
    }
}
