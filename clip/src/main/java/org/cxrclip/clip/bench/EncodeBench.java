package org.cxrclip.clip.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.weights.ClipConfig;
import org.cxrclip.engine.Autograd;
import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;

/**
 * Inference speed of the two CLIP towers on random weights and inputs: warm-up, then the best of several
 * timed batches. Also reports the heap in use at the end of the runs beyond the weights.
 */
public final class EncodeBench {
    private EncodeBench() {}

    public record Result(String model, int batch, int threads, double imagesPerSecond, double textsPerSecond,
                         long weightsMb, long peakHeapMb) {
        public String imageLine() {
            return String.format(Locale.ROOT, "encode-image model=%s batch=%d threads=%d images_per_s=%.2f", model,
                    batch, threads, imagesPerSecond);
        }

        public String textLine() {
            return String.format(Locale.ROOT, "encode-text model=%s batch=%d threads=%d texts_per_s=%.2f", model,
                    batch, threads, textsPerSecond);
        }

        public String memoryLine() {
            return String.format(Locale.ROOT, "memory model=%s weights_mb=%d peak_heap_mb=%d", model, weightsMb,
                    peakHeapMb);
        }
    }

    public static Result run(Backend backend, String name, ClipConfig config, int batch, int threads, int repeat) {
        Parallel.setThreads(threads);
        Clip model = new Clip(backend, config, 1);
        long weightsMb = model.parameterCount() * 4 / (1 << 20);
        Rng rng = new Rng(7);
        int r = config.imageResolution();
        Tensor images = Tensor.randn(backend, rng, 1f, batch, 3, r, r);
        int[][] tokens = randomTokens(rng, batch, config.contextLength(), config.vocabSize());
        resetPeaks();
        double bestImage = Double.MAX_VALUE, bestText = Double.MAX_VALUE;
        try (var g = Autograd.noGrad()) {
            sync(model.encodeImage(images)); // warm-up (and, on OpenCL, the kernels' first compile)
            sync(model.encodeText(tokens));
            for (int i = 0; i < repeat; i++) {
                long t0 = System.nanoTime();
                sync(model.encodeImage(images));
                long t1 = System.nanoTime();
                sync(model.encodeText(tokens));
                long t2 = System.nanoTime();
                bestImage = Math.min(bestImage, (t1 - t0) / 1e9);
                bestText = Math.min(bestText, (t2 - t1) / 1e9);
            }
        }
        return new Result(name, batch, threads, batch / bestImage, batch / bestText, weightsMb, peakHeapMb());
    }

    /**
     * Waits for a device backend's queued kernels by reading one value of the result (its queue runs in order), so
     * the clock sees the work; on the CPU the work is already done.
     */
    static void sync(Tensor t) {
        t.backend().read(t.storage(), t.offset(), new float[1], 0, 1);
    }

    /** Texts of random length (5..ctx ids): sot, random ids, eot, zero padding, as the tokenizer produces. */
    public static int[][] randomTokens(Rng rng, int batch, int ctx, int vocab) {
        int[][] t = new int[batch][ctx];
        for (int i = 0; i < batch; i++) {
            int len = 5 + rng.nextInt(ctx - 4);
            t[i][0] = vocab - 2;
            for (int j = 1; j < len - 1; j++) t[i][j] = rng.nextInt(vocab - 2);
            t[i][len - 1] = vocab - 1;
        }
        return t;
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
            if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
    }

    private static long peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
            if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
        return sum >> 20;
    }
}
