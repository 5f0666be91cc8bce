package org.cxrclip.clustering;

import java.util.HashMap;
import java.util.Map;

/**
 * Adjusted Rand index (Hubert & Arabie 1985) between two labelings of the same samples: 1 for identical
 * partitions (up to renaming labels), about 0 for independent ones. Computed from the contingency table.
 */
public final class AdjustedRandIndex {
    private AdjustedRandIndex() {}

    public static double of(int[] a, int[] b) {
        if (a.length != b.length)
            throw new IllegalArgumentException("ARI: labelings differ in length: " + a.length + " vs " + b.length);
        int n = a.length;
        Map<Long, Integer> cells = new HashMap<>();
        Map<Integer, Integer> rows = new HashMap<>(), cols = new HashMap<>();
        for (int i = 0; i < n; i++) {
            cells.merge(((long) a[i] << 32) | (b[i] & 0xFFFFFFFFL), 1, Integer::sum);
            rows.merge(a[i], 1, Integer::sum);
            cols.merge(b[i], 1, Integer::sum);
        }
        double index = 0, sumA = 0, sumB = 0;
        for (int c : cells.values()) index += pairs(c);
        for (int c : rows.values()) sumA += pairs(c);
        for (int c : cols.values()) sumB += pairs(c);
        double expected = sumA * sumB / pairs(n), max = 0.5 * (sumA + sumB);
        if (max == expected) return 1; // both labelings trivial (one cluster or all singletons)
        return (index - expected) / (max - expected);
    }

    private static double pairs(long m) {
        return m * (m - 1) / 2.0;
    }
}
