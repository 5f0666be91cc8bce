package org.cxrclip.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backends;
import org.junit.jupiter.api.Test;

class SgdTest {
    @Test
    void handComputedMomentumSteps() {
        // lr 0.1, μ 0.9, λ 0.1, p = 1. Step 1, g = 1: d = 1 + 0.1·1 = 1.1, b = d = 1.1, p = 1 − 0.11 = 0.89.
        // Step 2, g = 1: d = 1 + 0.089 = 1.089, b = 0.9·1.1 + 1.089 = 2.079, p = 0.89 − 0.2079 = 0.6821.
        Tensor p = Tensor.of(Backends.cpu(), new float[] {1f}, 1).requiresGrad(true);
        var opt = new Sgd(Map.of("p", p), new Sgd.Config(0.1, 0.9, 0, 0.1, false));
        for (float expected : new float[] {0.89f, 0.6821f}) {
            opt.zeroGrad();
            p.accumulateGrad(Tensor.of(Backends.cpu(), new float[] {1f}, 1));
            opt.step();
            assertEquals(expected, p.toArray()[0], 1e-6f);
        }
        assertArrayEquals(new float[] {2.079f}, opt.state().buffers().get("p.momentum_buffer"), 1e-6f);
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        Map<String, Tensor> p1 = AdamWTest.params(), p2 = AdamWTest.params();
        var cfg = new Sgd.Config(0.05, 0.9, 0, 1e-3, true);
        var o1 = new Sgd(p1, cfg);
        for (int s = 0; s < 3; s++) AdamWTest.step(o1, p1, s);
        p1.forEach((n, t) -> p2.get(n).assign(t.toArray()));
        var o2 = new Sgd(p2, cfg);
        o2.loadState(o1.state());
        for (int s = 3; s < 6; s++) {
            AdamWTest.step(o1, p1, s);
            AdamWTest.step(o2, p2, s);
        }
        for (String n : p1.keySet()) assertArrayEquals(p1.get(n).toArray(), p2.get(n).toArray(), n);
    }

    @Test
    void rejectsNesterovWithoutMomentum() {
        assertThrows(IllegalArgumentException.class, () -> new Sgd.Config(0.1, 0, 0, 0, true));
    }
}
