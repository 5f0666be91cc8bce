package org.cxrclip.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.ops.Activations;
import org.cxrclip.engine.ops.CrossEntropy;
import org.cxrclip.engine.ops.MatMul;
import org.junit.jupiter.api.Test;

/**
 * A small MLP trained for 200 steps: the loss must fall (so the loop really trains) and the heap in use after a
 * full GC must not grow from step 50 to step 200 (so backward releases saved activations and graphs do not
 * chain across steps).
 */
class MlpTrainingMemoryTest {
    @Test
    void heapDoesNotGrowOverTwoHundredSteps() {
        Backend b = Backends.cpu();
        Rng rng = new Rng(3);
        int n = 64, in = 32, hidden = 128, classes = 4;
        // A learnable task: the class is the arg-max of four fixed random projections of the input.
        Tensor x = Tensor.randn(b, rng, 1f, n, in);
        float[] proj = Tensor.randn(b, rng, 1f, classes, in).toArray();
        float[] xv = x.toArray();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double s = 0;
                for (int j = 0; j < in; j++) s += xv[i * in + j] * proj[c * in + j];
                if (s > best) {
                    best = s;
                    y[i] = c;
                }
            }
        }
        Tensor w1 = Tensor.randn(b, rng, (float) Math.sqrt(2.0 / in), hidden, in).requiresGrad(true);
        Tensor b1 = Tensor.zeros(b, hidden).requiresGrad(true);
        Tensor w2 = Tensor.randn(b, rng, (float) Math.sqrt(1.0 / hidden), classes, hidden).requiresGrad(true);
        Tensor b2 = Tensor.zeros(b, classes).requiresGrad(true);
        Tensor[] params = {w1, b1, w2, b2};

        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        float firstLoss = Float.NaN, lastLoss = Float.NaN;
        long heapAt50 = 0, heapAt200 = 0;
        for (int step = 1; step <= 200; step++) {
            Tensor h = Activations.gelu(MatMul.linear(x, w1, b1));
            Tensor loss = CrossEntropy.crossEntropy(MatMul.linear(h, w2, b2), y);
            loss.backward();
            try (var g = Autograd.noGrad()) {
                for (Tensor p : params) {
                    b.pointwise().axpy(-0.1f, p.grad(), p);
                    p.zeroGrad();
                }
            }
            if (step == 1) firstLoss = loss.item();
            lastLoss = loss.item();
            if (step == 50 || step == 200) {
                System.gc();
                long used = mem.getHeapMemoryUsage().getUsed();
                if (step == 50) heapAt50 = used;
                else heapAt200 = used;
            }
        }
        assertTrue(lastLoss < 0.5f * firstLoss, "loss should fall: " + firstLoss + " -> " + lastLoss);
        // One step's tensors are ~100 KB; 150 leaked steps would add > 15 MB. Allow 4 MB of GC noise.
        long growth = heapAt200 - heapAt50;
        assertTrue(growth < 4L << 20, "heap grew by " + (growth >> 10) + " KB from step 50 to step 200");
    }
}
