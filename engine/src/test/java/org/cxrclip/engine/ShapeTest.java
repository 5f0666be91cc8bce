package org.cxrclip.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cxrclip.engine.backend.Backends;
import org.junit.jupiter.api.Test;

class ShapeTest {
    @Test
    void broadcastFollowsNumpy() {
        assertArrayEquals(new int[] {3, 4, 5}, Shape.broadcast("add", new int[] {3, 1, 5}, new int[] {4, 1}));
        assertArrayEquals(new int[] {2, 3}, Shape.broadcast("add", new int[] {}, new int[] {2, 3}));
        ShapeException e = assertThrows(ShapeException.class,
                () -> Shape.broadcast("mul", new int[] {2, 3}, new int[] {4}));
        assertTrue(e.getMessage().startsWith("mul:") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void broadcastStridesZeroTheRepeatedAxes() {
        assertArrayEquals(new int[] {0, 5, 0, 1}, Shape.broadcastStrides(new int[] {3, 1, 5}, 4));
    }

    @Test
    void reshapeInfersOneDimension() {
        assertArrayEquals(new int[] {4, 6}, Shape.resolveReshape(new int[] {2, 3, 4}, new int[] {4, -1}));
        assertThrows(ShapeException.class, () -> Shape.resolveReshape(new int[] {2, 3}, new int[] {4, -1}));
        assertThrows(ShapeException.class, () -> Shape.resolveReshape(new int[] {2, 3}, new int[] {-1, -1}));
    }

    @Test
    void numelRejectsOverflowAndNegatives() {
        assertEquals(24, Shape.numel(2, 3, 4));
        assertEquals(1, Shape.numel());
        assertThrows(ShapeException.class, () -> Shape.numel(1 << 16, 1 << 16));
        assertThrows(ShapeException.class, () -> Shape.numel(2, -1));
    }

    @Test
    void viewsShareStorage() {
        Tensor t = Tensor.of(Backends.reference(), new float[] {0, 1, 2, 3, 4, 5}, 3, 2);
        Tensor r = t.rows(1, 3);
        assertArrayEquals(new float[] {2, 3, 4, 5}, r.toArray());
        assertArrayEquals(new int[] {2, 2}, r.shape());
        Tensor v = t.view(-1);
        v.assign(new float[] {9, 9, 9, 9, 9, 9});
        assertEquals(9f, t.toArray()[5]);
        assertThrows(ShapeException.class, () -> t.rows(2, 4));
        assertThrows(ShapeException.class, () -> Tensor.of(Backends.reference(), new float[5], 2, 3));
    }
}
