package org.cxrclip.apps;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cxrclip.clip.weights.SafetensorsReader;
import org.cxrclip.clip.weights.WeightTensor;
import org.cxrclip.clustering.CovarianceType;
import org.cxrclip.clustering.GaussianMixture;
import org.cxrclip.clustering.Mixture;
import org.cxrclip.clustering.MixtureFit;
import org.cxrclip.clustering.MixtureOptions;
import org.cxrclip.clustering.StudentTMixture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.cxrclip.train.report.AtomicFiles;

/**
 * {@code cxrclip cluster}: fits a Student-t (default) or Gaussian mixture to an (N, d) float tensor of a
 * safetensors file (e.g. {@code image_embeds} from {@code cxrclip embed}) and writes the pseudo-labels as CSV
 * {@code index,cluster,prob} (prob = largest responsibility), atomically. Prints one line:
 * {@code loglik=L iterations=I converged=true|false}, L being the mean log-likelihood per sample.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Cluster embeddings with a Student-t or Gaussian mixture (EM); write index,cluster,prob CSV.")
final class ClusterCommand implements Callable<Integer> {
    @Option(names = "--embeddings", required = true, paramLabel = "E.safetensors", description = "Safetensors file with the embeddings.")
    Path embeddings;

    @Option(names = "--tensor", defaultValue = "image_embeds", paramLabel = "NAME", description = "Tensor (N, d) to cluster (default ${DEFAULT-VALUE}).")
    String tensor;

    @Option(names = "--k", required = true, paramLabel = "K", description = "Number of clusters (CXR-CML: 40).")
    int k;

    @Option(names = "--family", defaultValue = "student-t", paramLabel = "student-t|gaussian", description = "Mixture family (default ${DEFAULT-VALUE}).")
    String family;

    @Option(names = "--nu", paramLabel = "NU|learn", description = "Student-t degrees of freedom, or 'learn' per component (default 4, as CXR-CML).")
    String nu;

    @Option(names = "--covariance", defaultValue = "diag", paramLabel = "full|diag|spherical|tied", description = "Covariance type (default ${DEFAULT-VALUE}).")
    String covariance;

    @Option(names = "--pca", defaultValue = "0", paramLabel = "D", description = "Project onto the D leading principal axes first (0 = off).")
    int pca;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the k-means++ initialisation (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-iter", defaultValue = "100", paramLabel = "N", description = "Most EM iterations (default ${DEFAULT-VALUE}).")
    int maxIter;

    @Option(names = "--n-init", defaultValue = "1", paramLabel = "R", description = "Restarts; the best log-likelihood wins (default ${DEFAULT-VALUE}).")
    int nInit;

    @Option(names = "--tol", defaultValue = "1e-6", description = "Stop when the mean log-likelihood changes by less than tol·max(1,|L|) (default ${DEFAULT-VALUE}).")
    double tol;

    @Option(names = "--reg-covar", defaultValue = "1e-6", description = "Added to every variance (default ${DEFAULT-VALUE}).")
    double regCovar;

    @Option(names = "--out", required = true, paramLabel = "assign.csv", description = "Output CSV (written atomically).")
    Path out;

    @Override
    public Integer call() throws IOException {
        MixtureOptions options = new MixtureOptions(k, CovarianceType.parse(covariance), regCovar, maxIter, tol, nInit,
                seed, pca, 10);
        Mixture model = model(options);
        WeightTensor t = readTensor();
        int[] shape = t.shape();
        if (shape.length != 2)
            throw new IllegalArgumentException(embeddings + ": tensor '" + tensor + "' has shape "
                    + Arrays.toString(shape) + ", expected (N, d)");
        int n = shape[0], d = shape[1];
        MixtureFit fit;
        try {
            fit = model.fit(t.toFloats(), n, d);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(embeddings + ": tensor '" + tensor + "': " + e.getMessage(), e);
        }
        writeCsv(fit);
        System.out.printf(Locale.ROOT, "loglik=%.6f iterations=%d converged=%b%n", fit.meanLogLikelihood(),
                fit.iterations(), fit.converged());
        return 0;
    }

    private Mixture model(MixtureOptions options) {
        switch (family.trim().toLowerCase(Locale.ROOT)) {
            case "gaussian", "gmm" -> {
                if (nu != null) throw new IllegalArgumentException("--nu applies only to --family student-t");
                return new GaussianMixture(options);
            }
            case "student-t", "t", "studentt" -> {
                if (nu == null) return StudentTMixture.fixedNu(options, 4);
                if (nu.trim().equalsIgnoreCase("learn")) return StudentTMixture.learnedNu(options);
                double v;
                try {
                    v = Double.parseDouble(nu.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--nu must be a number > 0 or 'learn', got '" + nu + "'");
                }
                if (!(v > 0) || Double.isInfinite(v))
                    throw new IllegalArgumentException("--nu must be a number > 0 or 'learn', got '" + nu + "'");
                return StudentTMixture.fixedNu(options, v);
            }
            default -> throw new IllegalArgumentException("unknown --family '" + family + "' (expected student-t or gaussian)");
        }
    }

    private WeightTensor readTensor() throws IOException {
        return SafetensorsReader.read(embeddings).require(tensor);
    }

    private void writeCsv(MixtureFit fit) throws IOException {
        StringBuilder b = new StringBuilder("index,cluster,prob\n");
        for (int i = 0; i < fit.size(); i++)
            b.append(i).append(',').append(fit.labels()[i]).append(',').append(String.format(Locale.ROOT, "%.6f", fit.maxProb()[i])).append('\n');
        AtomicFiles.writeString(out, b.toString());
    }
}
