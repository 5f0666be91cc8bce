package org.cxrclip.train.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backends;
import org.junit.jupiter.api.Test;

class LogitScaleTest {
    @Test
    void clampsInPlaceToLn100AndZero() {
        Tensor s = Tensor.of(Backends.cpu(), new float[] {5.1f}).requiresGrad(true);
        assertEquals(4.6051702f, LogitScale.Policy.DEFAULT.apply(s), 1e-6f); // ln 100 = 4.605170
        assertEquals(4.6051702f, s.item(), 1e-6f);
        s.assign(new float[] {-0.5f});
        assertEquals(0f, LogitScale.Policy.DEFAULT.apply(s));
        s.assign(new float[] {2.6592600f}); // ln(1/0.07): inside the range, untouched
        assertEquals(2.6592600f, LogitScale.Policy.DEFAULT.apply(s));
        assertEquals(true, s.requiresGrad(), "clamping keeps the tensor a trainable parameter");
    }

    @Test
    void switchedOffLeavesTheScaleAlone() {
        Tensor s = Tensor.of(Backends.cpu(), new float[] {7f});
        assertEquals(7f, LogitScale.Policy.NONE.apply(s));
        assertEquals(7f, s.item());
        assertEquals(3f, LogitScale.clamp(Tensor.of(Backends.cpu(), new float[] {9f}), 3f));
        assertThrows(IllegalArgumentException.class, () -> new LogitScale.Policy(true, 2f, 1f));
    }
}
