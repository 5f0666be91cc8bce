package org.cxrclip.clustering;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Projection of centred data onto its D leading principal axes (eigenvectors of the covariance, from Commons
 * Math). Each axis' sign is fixed so its largest-magnitude entry is positive, so the projection is
 * reproducible. The covariance is summed by the same kernels as the mixture's M-step.
 */
public final class Pca {
    private final int inDims, outDims;
    private final double[] axes; // (D, d)
    private final double[] explained;

    private Pca(int inDims, int outDims, double[] axes, double[] explained) {
        this.inDims = inDims;
        this.outDims = outDims;
        this.axes = axes;
        this.explained = explained;
    }

    /** Fits D axes to the centred rows x (n, d). */
    static Pca fit(float[] x, int n, int d, int dims) {
        if (dims > d) throw new IllegalArgumentException("PCA to " + dims + " dims needs data with at least that "
                + "many, got d = " + d);
        Components one = new Components(1, d, CovarianceType.FULL, true);
        SufficientStats s = EmPass.run(x, n, ones(one), true, true, true, EmPass.Outputs.NONE);
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) c[i][j] = 0.5 * (s.second[i * d + j] + s.second[j * d + i]) / n;
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(c, false));
        double[] values = eig.getRealEigenvalues();
        Integer[] idx = new Integer[d];
        for (int i = 0; i < d; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(values[b], values[a]));
        RealMatrix v = eig.getV();
        double[] axes = new double[dims * d], explained = new double[dims];
        for (int p = 0; p < dims; p++) {
            double[] col = v.getColumn(idx[p]);
            int big = 0;
            for (int j = 1; j < d; j++) if (Math.abs(col[j]) > Math.abs(col[big])) big = j;
            double sign = col[big] < 0 ? -1 : 1;
            for (int j = 0; j < d; j++) axes[p * d + j] = sign * col[j];
            explained[p] = values[idx[p]];
        }
        return new Pca(d, dims, axes, explained);
    }

    /** Unit-variance component at 0 used only to drive a hard pass that sums x·xᵀ over all rows. */
    private static Components ones(Components c) {
        c.weights[0] = 1;
        Arrays.fill(c.cov, 0);
        for (int j = 0; j < c.d; j++) c.cov[j * c.d + j] = 1;
        c.prepare(0);
        return c;
    }

    /** Projects centred rows x (n, d) to (n, D). */
    float[] project(float[] x, int n) {
        float[] out = new float[n * outDims];
        org.cxrclip.engine.Parallel.forRange(n, 1024, (s, e) -> {
            for (int i = s; i < e; i++)
                for (int p = 0; p < outDims; p++) {
                    double t = 0;
                    for (int j = 0; j < inDims; j++) t += axes[p * inDims + j] * x[i * inDims + j];
                    out[i * outDims + p] = (float) t;
                }
        });
        return out;
    }

    public int inputDims() {
        return inDims;
    }

    public int outputDims() {
        return outDims;
    }

    /** The axes (D, d) row-major. */
    public double[] axes() {
        return axes.clone();
    }

    /** The variance along each axis (the eigenvalues), largest first. */
    public double[] explainedVariance() {
        return explained.clone();
    }
}
