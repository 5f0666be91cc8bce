package org.cxrclip.engine.ops;

import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Shape;

/**
 * Random shapes for the op tests: dimensions drawn from sizes that stress SIMD tails and broadcasting (1, 2, 3,
 * 5, 17, 33: below, at odd offsets from and above the vector width), plus broadcast partners of a shape.
 */
final class RandomShapes {
    private RandomShapes() {}

    private static final int[] SIZES = {1, 2, 3, 5, 17, 33};

    /** Rank in [minRank, maxRank], at most maxNumel elements (dims shrink to 1 until it fits). */
    static int[] shape(Rng r, int minRank, int maxRank, int maxNumel) {
        int rank = minRank + r.nextInt(maxRank - minRank + 1);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) s[i] = SIZES[r.nextInt(SIZES.length)];
        while (Shape.numel(s) > maxNumel) {
            int i = r.nextInt(rank);
            s[i] = s[i] > 3 ? 3 : 1;
        }
        return s;
    }

    /** A shape that broadcasts to {@code s}: some leading axes dropped, some axes set to 1. */
    static int[] partner(Rng r, int[] s) {
        int drop = r.nextInt(s.length + 1);
        int[] p = new int[s.length - drop];
        for (int i = 0; i < p.length; i++) p[i] = r.nextInt(3) == 0 ? 1 : s[i + drop];
        return p;
    }

    /** Values in [-1, 1) pushed at least {@code gap} away from each of {@code kinks}. */
    static float[] awayFrom(float[] v, float gap, float... kinks) {
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++)
            for (float k : kinks)
                if (Math.abs(out[i] - k) < gap) out[i] = k + (out[i] >= k ? gap : -gap) + 0.5f * (out[i] - k);
        return out;
    }
}
