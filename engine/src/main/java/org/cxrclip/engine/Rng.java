package org.cxrclip.engine;

/**
 * Seeded random numbers for initialisation, data order and dropout (SplitMix64). Not thread-safe: give each
 * consumer its own instance. {@link #hash(long, long)} is a counter-based variant: the value for index i depends
 * only on (seed, i), so kernels can draw in parallel, on any backend, and get the same numbers.
 */
public final class Rng {
    private long state;
    private double spareGaussian = Double.NaN;

    public Rng(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
        return (int) ((nextLong() >>> 33) % bound);
    }

    /** Standard normal (Box-Muller, the second value kept for the next call). */
    public double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u1;
        do u1 = nextDouble(); while (u1 <= 0);
        double u2 = nextDouble();
        double r = Math.sqrt(-2 * Math.log(u1));
        spareGaussian = r * Math.sin(2 * Math.PI * u2);
        return r * Math.cos(2 * Math.PI * u2);
    }

    /** A new independent generator derived from this one (for per-sample or per-layer streams). */
    public Rng split() {
        return new Rng(nextLong());
    }

    /** Counter-based random 64 bits for (seed, index). */
    public static long hash(long seed, long index) {
        return mix(mix(seed + 0x9E3779B97F4A7C15L) ^ (index * 0xD1B54A32D192ED03L + 0x632BE59BD9B4E019L));
    }

    /** Counter-based uniform in [0, 1) for (seed, index). */
    public static float uniform(long seed, long index) {
        return (hash(seed, index) >>> 40) * 0x1.0p-24f;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
