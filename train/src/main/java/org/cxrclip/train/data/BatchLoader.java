package org.cxrclip.train.data;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.cxrclip.clip.image.ImageReadException;
import org.cxrclip.engine.Rng;

/**
 * One epoch of (B, 3, n, n) batches from a {@link Dataset}, decoded, transformed and augmented in parallel on
 * a small dedicated pool (not the engine's {@code Parallel} pool, which the trainer's kernels use), with the
 * next {@code prefetch} batches already in flight while the trainer works on the current one.
 *
 * <p>Order: shuffled with hash(seed, epoch) or in data-set order. An unreadable image is skipped, counted and
 * listed ({@link #skipped()}); its batch is simply one image shorter (a batch can be empty when all its
 * images fail). Pixels of image i go to the same place whatever the thread count, so batches are
 * reproducible. Close the loader (try-with-resources) to stop its threads early.
 */
public final class BatchLoader implements Iterator<BatchLoader.Batch>, AutoCloseable {
    /** Images (B, 3, n, n), labels (B, L), and the data-set index of each row. */
    public record Batch(int[] indices, float[] pixels, float[] labels, List<Skipped> skipped) {
        public int size() {
            return indices.length;
        }
    }

    /** An image that could not be loaded, with the reason (the message names the file). */
    public record Skipped(int index, Path image, String reason) {}

    private static final AtomicInteger POOL_ID = new AtomicInteger();

    private final Dataset data;
    private final ImagePipeline pipeline;
    private final int batchSize, epoch;
    private final int[] order;
    private final ExecutorService pool;
    private final ArrayDeque<CompletableFuture<Batch>> inFlight = new ArrayDeque<>();
    private final List<Skipped> skipped = Collections.synchronizedList(new ArrayList<>());
    private int nextStart;

    public BatchLoader(Dataset data, ImagePipeline pipeline, int batchSize, int epoch, boolean shuffle, long seed,
            int threads, int prefetch) {
        if (batchSize < 1 || threads < 1 || prefetch < 1)
            throw new IllegalArgumentException("batch size, threads and prefetch must be >= 1 (got " + batchSize + ", "
                    + threads + ", " + prefetch + ")");
        this.data = data;
        this.pipeline = pipeline;
        this.batchSize = batchSize;
        this.epoch = epoch;
        this.order = order(data.size(), shuffle, seed, epoch);
        int id = POOL_ID.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "cxrclip-data-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < prefetch + 1 && nextStart < order.length; i++) submitNext();
    }

    /** The visiting order of an epoch: identity, or a Fisher–Yates shuffle seeded by hash(seed, epoch). */
    public static int[] order(int n, boolean shuffle, long seed, int epoch) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) o[i] = i;
        if (!shuffle) return o;
        Rng r = new Rng(Rng.hash(seed, epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    public int batches() {
        return (order.length + batchSize - 1) / batchSize;
    }

    /** Every image skipped so far in this epoch. */
    public List<Skipped> skipped() {
        synchronized (skipped) {
            return List.copyOf(skipped);
        }
    }

    private void submitNext() {
        int start = nextStart, end = Math.min(order.length, start + batchSize);
        nextStart = end;
        int[] idx = Arrays.copyOfRange(order, start, end);
        int stride = pipeline.stride();
        float[] pixels = new float[idx.length * stride];
        String[] errors = new String[idx.length];
        CompletableFuture<?>[] parts = new CompletableFuture<?>[idx.length];
        for (int i = 0; i < idx.length; i++) {
            final int b = i;
            parts[i] = CompletableFuture.runAsync(() -> {
                try {
                    pipeline.load(data.get(idx[b]).image(), epoch, idx[b], pixels, b * stride);
                } catch (ImageReadException | IllegalArgumentException e) {
                    errors[b] = e.getMessage();
                }
            }, pool);
        }
        inFlight.add(CompletableFuture.allOf(parts).thenApply(v -> assemble(idx, pixels, errors)));
    }

    private Batch assemble(int[] idx, float[] pixels, String[] errors) {
        int stride = pipeline.stride(), labels = data.labelNames().size(), ok = 0;
        List<Skipped> bad = new ArrayList<>();
        int[] kept = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            if (errors[i] != null) {
                bad.add(new Skipped(idx[i], data.get(idx[i]).image(), errors[i]));
                continue;
            }
            if (ok != i) System.arraycopy(pixels, i * stride, pixels, ok * stride, stride);
            kept[ok++] = idx[i];
        }
        float[] y = new float[ok * labels];
        for (int i = 0; i < ok; i++) System.arraycopy(data.get(kept[i]).labels(), 0, y, i * labels, labels);
        skipped.addAll(bad);
        return new Batch(Arrays.copyOf(kept, ok), ok == idx.length ? pixels : Arrays.copyOf(pixels, ok * stride), y,
                List.copyOf(bad));
    }

    @Override
    public boolean hasNext() {
        return !inFlight.isEmpty();
    }

    @Override
    public Batch next() {
        CompletableFuture<Batch> head = inFlight.poll();
        if (head == null) throw new NoSuchElementException("epoch finished");
        if (nextStart < order.length) submitNext();
        Batch b = head.join();
        if (inFlight.isEmpty()) pool.shutdown();
        return b;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
