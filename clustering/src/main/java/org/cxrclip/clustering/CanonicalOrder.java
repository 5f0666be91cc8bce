package org.cxrclip.clustering;

import java.util.Arrays;
import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Rng;

/**
 * Makes a fit independent of the order of the samples: rows are sorted by a hash of their float bits (ties by
 * the bits themselves), and EM runs on the sorted copy. Any permutation of the same rows therefore gives the
 * bit-identical fit, with labels that follow their rows.
 */
final class CanonicalOrder {
    private CanonicalOrder() {}

    /** order[i] = the input row placed at position i. */
    static int[] of(float[] x, int n, int d) {
        long[] hash = new long[n];
        Parallel.forRange(n, 4096, (s, e) -> {
            for (int i = s; i < e; i++) {
                long h = 0x5DEECE66DL;
                for (int j = 0; j < d; j++) h = Rng.hash(h, Float.floatToRawIntBits(x[i * d + j]) & 0xFFFFFFFFL);
                hash[i] = h;
            }
        });
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> {
            int c = Long.compare(hash[a], hash[b]);
            for (int j = 0; c == 0 && j < d; j++)
                c = Integer.compare(Float.floatToRawIntBits(x[a * d + j]), Float.floatToRawIntBits(x[b * d + j]));
            return c;
        });
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = idx[i];
        return order;
    }
}
