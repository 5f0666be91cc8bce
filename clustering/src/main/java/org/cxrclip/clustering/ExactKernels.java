package org.cxrclip.clustering;

/**
 * Reference {@link BlockKernels}: direct double-precision loops, δ² = Σ_j (x_j − μ_j)²/σ_j² for per-dimension
 * types and ‖L⁻¹(x − μ)‖² for matrix types. Used for small problems (where it is also fast enough) and as the
 * oracle the GEMM kernels are tested against.
 */
final class ExactKernels extends BlockKernels {
    private final Components comps;
    private final boolean matrixStats;

    ExactKernels(float[] x, Components comps, boolean matrixStats) {
        super(x, comps.d, comps.k);
        this.comps = comps;
        this.matrixStats = matrixStats;
    }

    @Override
    void distances(int r0, int b, double[] dist) {
        double[] diff = new double[d];
        for (int i = 0; i < b; i++) {
            int xo = (r0 + i) * d;
            for (int c = 0; c < k; c++) {
                double s = 0;
                if (comps.type.matrix()) {
                    for (int j = 0; j < d; j++) diff[j] = x[xo + j] - comps.means[c * d + j];
                    int wo = c * d * d;
                    for (int r = 0; r < d; r++) {
                        double y = 0;
                        for (int j = 0; j <= r; j++) y += comps.whiten[wo + r * d + j] * diff[j];
                        s += y * y;
                    }
                } else {
                    for (int j = 0; j < d; j++) {
                        double t = x[xo + j] - comps.means[c * d + j];
                        s += t * t * comps.prec[c * d + j];
                    }
                }
                dist[i * k + c] = s;
            }
        }
    }

    @Override
    void accumulate(int r0, int b, double[] w, SufficientStats s) {
        for (int i = 0; i < b; i++) {
            int xo = (r0 + i) * d;
            for (int c = 0; c < k; c++) {
                double wc = w[i * k + c];
                if (wc == 0) continue;
                for (int j = 0; j < d; j++) {
                    double xj = x[xo + j];
                    s.sx[c * d + j] += wc * xj;
                    if (matrixStats) {
                        int so = (c * d + j) * d;
                        for (int q = 0; q < d; q++) s.second[so + q] += wc * xj * x[xo + q];
                    } else {
                        s.second[c * d + j] += wc * xj * xj;
                    }
                }
            }
        }
    }
}
