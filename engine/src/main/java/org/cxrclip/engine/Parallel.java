package org.cxrclip.engine;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The one thread pool of the engine, sized to the cores ({@code -Dcxrclip.threads=N} overrides). Kernels
 * parallelise over output rows or tiles through {@link #forChunks}; never inside an inner loop. A call from a
 * pool thread runs inline, so nested parallel kernels neither deadlock nor oversubscribe the cores. With one
 * thread everything runs on the caller, which is the deterministic mode used by reproducibility tests.
 */
public final class Parallel {
    private static volatile int threads = defaultThreads();
    private static volatile ForkJoinPool pool;

    private Parallel() {}

    /** A chunk of work: indices [start, end). */
    @FunctionalInterface
    public interface Range {
        void run(int start, int end);
    }

    /** A numbered chunk of work. */
    @FunctionalInterface
    public interface Chunk {
        void run(int chunk);
    }

    private static int defaultThreads() {
        String p = System.getProperty("cxrclip.threads");
        if (p == null || p.isBlank()) return Runtime.getRuntime().availableProcessors();
        try {
            int n = Integer.parseInt(p.trim());
            if (n < 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-Dcxrclip.threads must be a positive integer, got '" + p + "'");
        }
    }

    public static int threads() {
        return threads;
    }

    /** Sets the number of threads kernels use from now on (1 = deterministic single-thread mode). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        if (n == threads) return;
        threads = n;
        ForkJoinPool old = pool;
        pool = null;
        if (old != null) old.shutdown();
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    int n = threads;
                    p = new ForkJoinPool(n, pool -> {
                        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                        t.setDaemon(true);
                        t.setName("cxrclip-worker-" + t.getPoolIndex());
                        return t;
                    }, null, false);
                    pool = p;
                }
            }
        }
        return p;
    }

    private static boolean insidePool() {
        return Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == pool;
    }

    /** Runs {@code body} for chunks 0..chunks-1, in parallel when there is more than one thread. */
    public static void forChunks(int chunks, Chunk body) {
        if (chunks <= 0) return;
        if (chunks == 1 || threads == 1 || insidePool()) {
            for (int c = 0; c < chunks; c++) body.run(c);
            return;
        }
        ForkJoinPool p = pool();
        @SuppressWarnings("unchecked")
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            final int chunk = c;
            tasks[c - 1] = p.submit(() -> body.run(chunk));
        }
        RuntimeException first = null;
        try {
            body.run(0);
        } catch (RuntimeException e) {
            first = e;
        }
        for (ForkJoinTask<?> t : tasks) {
            try {
                t.join();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    /**
     * Splits [0, n) into at most {@link #threads()} contiguous ranges of at least {@code grain} indices each
     * and runs them in parallel.
     */
    public static void forRange(int n, int grain, Range body) {
        if (n <= 0) return;
        int chunks = (int) Math.min(threads, Math.max(1, n / (long) Math.max(1, grain)));
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        final int c = chunks;
        forChunks(c, i -> body.run((int) ((long) n * i / c), (int) ((long) n * (i + 1) / c)));
    }
}
