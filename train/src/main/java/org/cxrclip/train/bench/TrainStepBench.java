package org.cxrclip.train.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.cxrclip.clip.bench.EncodeBench;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.weights.ClipConfig;
import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.train.loss.InfoNceLoss;
import org.cxrclip.train.optim.AdamW;
import org.cxrclip.train.optim.WeightDecayRule;

/**
 * Speed of one CLIP training step (both towers forward, symmetric InfoNCE, backward, AdamW) on random weights,
 * random images and random token ids: warm-up steps first (JIT, first allocation of the optimiser moments),
 * then the mean over the timed steps. Peak heap is the largest heap in use at any moment of the run, weights,
 * gradients and AdamW moments included, taken from the collectors' before-collection usage (MXBean pool peaks
 * would add the peaks of eden and old generation reached at different times). The phase line adds the collectors'
 * time and the process CPU time per step, which on a shared machine tell how much of a slow step was waiting.
 */
public final class TrainStepBench {
    private TrainStepBench() {}

    /** Mean seconds of the timed steps per phase; pairs/s over whole steps. */
    public record Result(String model, int batch, int threads, int steps, double pairsPerSecond, long peakHeapMb,
                         double forwardS, double backwardS, double optimizerS, double gcS, double cpuS) {
        public String line() {
            return String.format(Locale.ROOT, "train-step model=%s batch=%d pairs_per_s=%.2f peak_heap_mb=%d", model, batch,
                    pairsPerSecond, peakHeapMb);
        }

        public String phasesLine() {
            return String.format(Locale.ROOT, "train-step-phases threads=%d steps=%d forward_s=%.3f backward_s=%.3f optimizer_s=%.3f"
                    + " gc_pause_s=%.3f process_cpu_s=%.3f", threads, steps, forwardS, backwardS, optimizerS, gcS, cpuS);
        }
    }

    public static Result run(Backend backend, String name, ClipConfig config, int batch, int threads, int warmup, int steps) {
        if (batch < 2) throw new IllegalArgumentException("bench train-step: --batch must be >= 2 (InfoNCE needs negatives), got " + batch);
        if (threads < 1 || warmup < 0 || steps < 1)
            throw new IllegalArgumentException("bench train-step: --threads and --steps must be >= 1 and --warmup >= 0");
        Parallel.setThreads(threads);
        try (HeapSampler heap = new HeapSampler()) {
            Clip model = new Clip(backend, config, 1);
            var optimizer = new AdamW(model.namedParameters(), new AdamW.Config(1e-5, 0.9, 0.98, 1e-6, 0.2),
                    WeightDecayRule.EXCLUDE_GAINS_BIASES);
            InfoNceLoss loss = new InfoNceLoss();
            Rng rng = new Rng(7);
            int r = config.imageResolution();
            Tensor images = Tensor.randn(backend, rng, 1f, batch, 3, r, r);
            int[][] tokens = EncodeBench.randomTokens(rng, batch, config.contextLength(), config.vocabSize());
            double fwd = 0, bwd = 0, opt = 0, gc = 0, cpu = 0;
            for (int s = 0; s < warmup + steps; s++) {
                long gc0 = gcMillis(), cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                Tensor l = loss.forward(model.encodeImage(images), model.encodeText(tokens), model.logitScale);
                float value = l.item();
                if (!Float.isFinite(value)) throw new IllegalStateException("bench train-step: loss " + value + " at step " + s);
                long t1 = System.nanoTime();
                l.backward();
                long t2 = System.nanoTime();
                optimizer.step();
                optimizer.zeroGrad();
                long t3 = System.nanoTime();
                if (s >= warmup) {
                    fwd += (t1 - t0) / 1e9;
                    bwd += (t2 - t1) / 1e9;
                    opt += (t3 - t2) / 1e9;
                    gc += (gcMillis() - gc0) / 1e3;
                    cpu += (processCpuNanos() - cpu0) / 1e9;
                }
            }
            double perStep = (fwd + bwd + opt) / steps;
            return new Result(name, batch, threads, steps, batch / perStep, heap.peakMb(), fwd / steps, bwd / steps, opt / steps,
                    gc / steps, cpu / steps);
        }
    }

    /** Total time the collectors have spent, as the JVM reports it (pauses for the stop-the-world ones). */
    private static long gcMillis() {
        long sum = 0;
        for (var b : ManagementFactory.getGarbageCollectorMXBeans()) sum += Math.max(0, b.getCollectionTime());
        return sum;
    }

    /** CPU time of the whole process (all threads, GC and JIT included), or 0 where the JVM cannot tell. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    /**
     * The largest heap in use at any moment: the heap in use only grows between collections (allocation) and
     * only shrinks in them, so its maxima are the usage just before each collection, which every collector's
     * notification reports, and the usage now. Exact, and free: the earlier sampling thread (every millisecond,
     * through the memory-pool MXBeans) took ~5 % of a core from the two that run the step.
     */
    private static final class HeapSampler implements AutoCloseable {
        private final Set<String> heapPools = new HashSet<>();
        private final List<NotificationEmitter> emitters = new ArrayList<>();
        private final NotificationListener listener = this::onCollection;
        private final AtomicLong peak = new AtomicLong();

        HeapSampler() {
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
                if (p.getType() == MemoryType.HEAP) heapPools.add(p.getName());
            for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans())
                if (b instanceof NotificationEmitter e) {
                    e.addNotificationListener(listener, null, null);
                    emitters.add(e);
                }
            sample();
        }

        private void onCollection(Notification n, Object handback) {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
            var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            long used = 0;
            for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageBeforeGc().entrySet())
                if (heapPools.contains(e.getKey())) used += e.getValue().getUsed();
            peak.accumulateAndGet(used, Math::max);
        }

        private void sample() {
            long used = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
                if (p.getType() == MemoryType.HEAP) used += p.getUsage().getUsed();
            peak.accumulateAndGet(used, Math::max);
        }

        long peakMb() {
            sample();
            return peak.get() >> 20;
        }

        @Override
        public void close() {
            for (NotificationEmitter e : emitters) {
                try {
                    e.removeNotificationListener(listener);
                } catch (ListenerNotFoundException ignored) {
                    // already gone
                }
            }
        }
    }
}
