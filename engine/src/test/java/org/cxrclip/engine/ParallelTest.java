package org.cxrclip.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void everyIndexRunsExactlyOnceForAnyThreadCount() {
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                for (int n : new int[] {0, 1, 5, 1000}) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(n, 1));
                    Parallel.forRange(n, 1, (s, e) -> {
                        for (int i = s; i < e; i++) hits.incrementAndGet(i);
                    });
                    for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i + " threads " + threads);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void nestedCallsRunInlineAndExceptionsPropagate() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            AtomicIntegerArray hits = new AtomicIntegerArray(4);
            Parallel.forChunks(2, c -> Parallel.forChunks(2, d -> hits.incrementAndGet(c * 2 + d)));
            for (int i = 0; i < 4; i++) assertEquals(1, hits.get(i));
            assertThrows(IllegalStateException.class, () -> Parallel.forChunks(2, c -> {
                if (c == 1) throw new IllegalStateException("boom");
            }));
        } finally {
            Parallel.setThreads(before);
        }
    }
}
