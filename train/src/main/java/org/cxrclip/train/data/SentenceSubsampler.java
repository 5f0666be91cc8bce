package org.cxrclip.train.data;

import java.util.ArrayList;
import java.util.List;
import org.cxrclip.engine.Rng;

/**
 * The thesis' training-time text augmentation ({@code SubsampleSents}): split on '.', remove '_' characters,
 * strip, drop sentences shorter than 5 characters, shuffle, keep round(fraction·n) of them (Python's
 * round, half to even) in the shuffled order, join with ". ". The caller's tokenizer then truncates to 77
 * tokens (truncate=true); sentences are not chosen to fit. Keeping the first k of a uniform shuffle gives the
 * same distribution as the thesis' "shuffle, then sample k keeping order". Seeded per call, so a sample's
 * augmentation depends only on (seed, epoch, index), not on thread scheduling.
 */
public final class SentenceSubsampler {
    private final double fraction;
    private final int minChars;

    public SentenceSubsampler() {
        this(0.8, 5);
    }

    public SentenceSubsampler(double fraction, int minChars) {
        if (!(fraction > 0 && fraction <= 1)) throw new IllegalArgumentException("sentence fraction must be in (0, 1], got " + fraction);
        this.fraction = fraction;
        this.minChars = minChars;
    }

    /** The sentences that survive cleaning, in text order. */
    public List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.split("\\.", -1)) {
            String t = s.replace("_", "").strip();
            if (t.length() >= minChars) out.add(t);
        }
        return out;
    }

    public String apply(String text, long seed) {
        List<String> s = sentences(text);
        Rng rng = new Rng(seed);
        for (int i = s.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            String tmp = s.get(i);
            s.set(i, s.get(j));
            s.set(j, tmp);
        }
        int keep = (int) Math.rint(fraction * s.size());
        return String.join(". ", s.subList(0, keep));
    }

    /** The seed for sample {@code index} in {@code epoch}: independent of batch order and thread count. */
    public static long seed(long baseSeed, int epoch, int index) {
        return Rng.hash(Rng.hash(baseSeed, epoch), index);
    }
}
