package org.cxrclip.engine.backend.reference;

/**
 * Layer norm over the last axis, written to be obviously right: one row at a time, every sum in double.
 * The oracle for {@code cpu.LayerNormKernel}. Biased variance and eps inside the square root, as PyTorch:
 * out = (x − mean) / √(var + eps) · gamma + beta.
 */
final class LayerNormNaive {
    private LayerNormNaive() {}

    /** x, out (rows, C); gamma, beta (C); mean, rstd (rows). */
    static void forward(float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                        float[] x, int xOff, float[] gamma, int gammaOff, float[] beta, int betaOff,
                        int rows, int C, float eps) {
        for (int r = 0; r < rows; r++) {
            int row = xOff + r * C;
            double sum = 0;
            for (int c = 0; c < C; c++) sum += x[row + c];
            double m = sum / C;
            double sq = 0;
            for (int c = 0; c < C; c++) {
                double d = x[row + c] - m;
                sq += d * d;
            }
            double s = 1.0 / Math.sqrt(sq / C + eps);
            for (int c = 0; c < C; c++)
                out[outOff + r * C + c] = (float) ((x[row + c] - m) * s * gamma[gammaOff + c] + beta[betaOff + c]);
            mean[meanOff + r] = (float) m;
            rstd[rstdOff + r] = (float) s;
        }
    }

    /**
     * x, gradOut, gradX (rows, C); gamma, gradGamma, gradBeta (C); mean, rstd (rows). All outputs are
     * overwritten. With n = (x − mean)·rstd and dn = gradOut·gamma:
     * gradX = rstd · (dn − mean(dn) − n · mean(dn·n)), gradGamma = Σ_rows gradOut·n, gradBeta = Σ_rows gradOut.
     */
    static void backward(float[] gradX, int gxOff, float[] gradGamma, int ggOff, float[] gradBeta, int gbOff,
                         float[] x, int xOff, float[] gamma, int gammaOff, float[] mean, int meanOff,
                         float[] rstd, int rstdOff, float[] gradOut, int goOff, int rows, int C) {
        double[] gg = new double[C], gb = new double[C];
        for (int r = 0; r < rows; r++) {
            double m = mean[meanOff + r], s = rstd[rstdOff + r];
            double dnMean = 0, dnNormMean = 0;
            for (int c = 0; c < C; c++) {
                double n = (x[xOff + r * C + c] - m) * s;
                double go = gradOut[goOff + r * C + c];
                double dn = go * gamma[gammaOff + c];
                dnMean += dn;
                dnNormMean += dn * n;
                gg[c] += go * n;
                gb[c] += go;
            }
            dnMean /= C;
            dnNormMean /= C;
            for (int c = 0; c < C; c++) {
                double n = (x[xOff + r * C + c] - m) * s;
                double dn = gradOut[goOff + r * C + c] * (double) gamma[gammaOff + c];
                gradX[gxOff + r * C + c] = (float) (s * (dn - dnMean - n * dnNormMean));
            }
        }
        for (int c = 0; c < C; c++) {
            gradGamma[ggOff + c] = (float) gg[c];
            gradBeta[gbOff + c] = (float) gb[c];
        }
    }
}
