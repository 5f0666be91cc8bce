package org.cxrclip.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.cxrclip.clip.model.Clip;

/**
 * The models of this JVM, loaded once each and shared by every task that runs here: closures carry a
 * {@link ModelSource}, never weights. Inference only reads parameters (and {@code Autograd.noGrad} is per
 * thread), so concurrent tasks of one executor share one model.
 */
public final class ExecutorModels {
    private static final Map<ModelSource, Clip> MODELS = new ConcurrentHashMap<>();
    private static final Map<ModelSource, AtomicInteger> LOADS = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    public static Clip get(ModelSource source) {
        return MODELS.computeIfAbsent(source, s -> {
            try {
                Clip clip = s.load();
                LOADS.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet();
                return clip;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** How often {@code source} was loaded in this JVM (tests: once, however many tasks ran here). */
    public static int loads(ModelSource source) {
        AtomicInteger n = LOADS.get(source);
        return n == null ? 0 : n.get();
    }
}
