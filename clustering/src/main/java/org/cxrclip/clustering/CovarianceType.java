package org.cxrclip.clustering;

import java.util.Locale;

/**
 * Shape of each component's covariance (scale) matrix, as in scikit-learn: FULL (one d×d matrix per component),
 * DIAG (one variance per dimension per component), SPHERICAL (one variance per component), TIED (one d×d
 * matrix shared by all components). FULL and TIED cost O(d²) per sample and component; keep d ≲ 128 for them.
 */
public enum CovarianceType {
    FULL, DIAG, SPHERICAL, TIED;

    /** True when the kernels work on d×d matrices (FULL, TIED) rather than per-dimension variances. */
    boolean matrix() {
        return this == FULL || this == TIED;
    }

    /** Free covariance parameters of a K-component mixture in d dimensions (for BIC). */
    long parameters(int k, int d) {
        return switch (this) {
            case FULL -> (long) k * d * (d + 1) / 2;
            case DIAG -> (long) k * d;
            case SPHERICAL -> k;
            case TIED -> (long) d * (d + 1) / 2;
        };
    }

    /** Parses "full", "diag" (or "diagonal"), "spherical", "tied". */
    public static CovarianceType parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "full" -> FULL;
            case "diag", "diagonal" -> DIAG;
            case "spherical" -> SPHERICAL;
            case "tied" -> TIED;
            default -> throw new IllegalArgumentException(
                    "unknown covariance type '" + s + "' (expected full, diag, spherical or tied)");
        };
    }
}
