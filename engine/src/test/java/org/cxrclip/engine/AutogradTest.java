package org.cxrclip.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.junit.jupiter.api.Test;

/**
 * The graph machinery on its own, with two test-local ops computed on the host (so a kernel bug cannot hide
 * an autograd bug): topological order, fan-out accumulation, no-grad, release after backward.
 */
class AutogradTest {
    private static final Backend B = Backends.reference();

    /** y = x², computed on the host. */
    static Tensor square(Tensor x) {
        float[] v = x.toArray();
        for (int i = 0; i < v.length; i++) v[i] *= v[i];
        Tensor y = Tensor.of(B, v, x.shape());
        return Node.record(y, () -> new Node(x) {
            Tensor saved = x;

            @Override
            protected void backward(Tensor g) {
                float[] gv = g.toArray(), xv = saved.toArray();
                for (int i = 0; i < gv.length; i++) gv[i] *= 2 * xv[i];
                saved.accumulateGrad(Tensor.of(B, gv, g.shape()));
            }

            @Override
            protected void release() {
                saved = null;
            }
        }, x);
    }

    /** z = a + b (same shapes), computed on the host; passes g through to both inputs unchanged. */
    static Tensor plus(Tensor a, Tensor b) {
        float[] x = a.toArray(), y = b.toArray();
        for (int i = 0; i < x.length; i++) x[i] += y[i];
        Tensor z = Tensor.of(B, x, a.shape());
        return Node.record(z, () -> new Node(a, b) {
            @Override
            protected void backward(Tensor g) {
                a.accumulateGrad(g);
                b.accumulateGrad(g);
            }
        }, a, b);
    }

    @Test
    void chainRuleThroughTwoOps() {
        Tensor x = Tensor.of(B, new float[] {3f}, 1).requiresGrad(true);
        Tensor y = square(square(x)); // x^4, dy/dx = 4x^3 = 108
        y.backward();
        assertEquals(108f, x.grad().item(), 0f);
    }

    @Test
    void fanOutAccumulatesEveryPath() {
        // f = x² + x: the two paths meet at plus; df/dx = 2x + 1.
        Tensor x = Tensor.of(B, new float[] {2f, -1f}, 2).requiresGrad(true);
        Tensor f = plus(square(x), x);
        f.backward(Tensor.of(B, new float[] {1f, 1f}, 2));
        assertArrayEquals(new float[] {5f, -1f}, x.grad().toArray(), 0f);
    }

    @Test
    void diamondRunsEachNodeOnceWithTheFullGradient() {
        // h = x²; f = h + h  => df/dx = 4x, and h's node must see gradient 2 (after both uses are summed).
        Tensor x = Tensor.of(B, new float[] {1.5f}, 1).requiresGrad(true);
        Tensor h = square(x);
        Tensor f = plus(h, h);
        f.backward();
        assertEquals(6f, x.grad().item(), 0f);
    }

    @Test
    void passingTheSameGradientToTwoInputsDoesNotAliasTheirSums() {
        Tensor a = Tensor.of(B, new float[] {1f}, 1).requiresGrad(true);
        Tensor b = Tensor.of(B, new float[] {1f}, 1).requiresGrad(true);
        // a receives g twice (via both plus nodes); b once. If a's first gradient aliased b's, b would change too.
        Tensor f = plus(plus(a, b), a);
        f.backward();
        assertEquals(2f, a.grad().item(), 0f);
        assertEquals(1f, b.grad().item(), 0f);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Tensor x = Tensor.of(B, new float[] {1f}, 1).requiresGrad(true);
        square(x).backward();
        square(x).backward();
        assertEquals(4f, x.grad().item(), 0f);
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void noGradRecordsNothing() {
        Tensor x = Tensor.of(B, new float[] {1f}, 1).requiresGrad(true);
        Tensor y;
        try (var g = Autograd.noGrad()) {
            assertFalse(Autograd.isEnabled());
            y = square(x);
        }
        assertTrue(Autograd.isEnabled());
        assertNull(y.gradFn());
        assertFalse(y.requiresGrad());
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test
    void intermediateGradientsAndSavedTensorsAreReleased() {
        Tensor x = Tensor.of(B, new float[] {2f}, 1).requiresGrad(true);
        Tensor h = square(x);
        Tensor kept = square(x).retainGrad();
        Tensor f = plus(h, kept);
        f.backward();
        assertNull(h.grad(), "intermediate gradient should be dropped after backward");
        assertNotNull(kept.grad(), "retainGrad keeps it");
        IllegalStateException e = assertThrows(IllegalStateException.class, f::backward);
        assertTrue(e.getMessage().contains("already released"), e.getMessage());
    }

    @Test
    void backwardNeedsAScalarOrAnExplicitGradient() {
        Tensor x = Tensor.of(B, new float[] {1f, 2f}, 2).requiresGrad(true);
        ShapeException e = assertThrows(ShapeException.class, () -> square(x).backward());
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Tensor x = Tensor.of(B, new float[] {1f}, 1).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) y = plus(y, Tensor.of(B, new float[] {0f}, 1));
        y.backward();
        assertEquals(1f, x.grad().item(), 0f);
    }

    /** y = x (a copy) whose backward first runs {@code probe}, then passes g through. */
    static Tensor probe(Tensor x, Runnable probe) {
        return Node.record(Tensor.of(B, x.toArray(), x.shape()), () -> new ProbeNode(x, probe), x);
    }

    private static final class ProbeNode extends Node {
        private Tensor x;
        private final Runnable probe;

        ProbeNode(Tensor x, Runnable probe) {
            super(x);
            this.x = x;
            this.probe = probe;
        }

        @Override
        protected void backward(Tensor g) {
            probe.run();
            x.accumulateGrad(g);
        }

        @Override
        protected void release() {
            x = null;
        }
    }

    /**
     * Activations die during the pass, not after it: when backward reaches the first op, the outputs of the
     * later ops (already differentiated) must be collectable. A pass that kept them until its end would
     * hold every activation of a CLIP step together with all the gradients.
     */
    @Test
    void backwardLetsGoOfActivationsWhoseNodesHaveRun() {
        Tensor x = Tensor.of(B, new float[] {1f, 2f}, 2).requiresGrad(true);
        java.util.List<java.lang.ref.WeakReference<Tensor>> later = new java.util.ArrayList<>();
        boolean[] checked = {false};
        Tensor root = chainAfterProbe(x, later, () -> {
            System.gc();
            for (var w : later) assertNull(w.get(), "an activation whose node has run is still reachable");
            checked[0] = true;
        });
        root.backward(Tensor.of(B, new float[] {1f, 1f}, 2));
        assertTrue(checked[0]);
        assertArrayEquals(new float[] {8f, 1024f}, x.grad().toArray(), 0f); // d(x⁸)/dx = 8x⁷
    }

    /** probe(x) → square → square → square; only weak references to the squares' outputs escape. */
    private static Tensor chainAfterProbe(Tensor x, java.util.List<java.lang.ref.WeakReference<Tensor>> later, Runnable check) {
        Tensor a = probe(x, check);
        Tensor b = releasingSquare(a), c = releasingSquare(b);
        later.add(new java.lang.ref.WeakReference<>(b));
        later.add(new java.lang.ref.WeakReference<>(c));
        return releasingSquare(c);
    }

    /** y = x² whose node holds its input in one releasable field only (as the engine's ops do). */
    static Tensor releasingSquare(Tensor x) {
        float[] v = x.toArray();
        for (int i = 0; i < v.length; i++) v[i] *= v[i];
        return Node.record(Tensor.of(B, v, x.shape()), () -> new SquareNode(x), x);
    }

    private static final class SquareNode extends Node {
        private Tensor x;

        SquareNode(Tensor x) {
            super(x);
            this.x = x;
        }

        @Override
        protected void backward(Tensor g) {
            float[] gv = g.toArray(), xv = x.toArray();
            for (int i = 0; i < gv.length; i++) gv[i] *= 2 * xv[i];
            x.accumulateGrad(Tensor.of(B, gv, g.shape()));
        }

        @Override
        protected void release() {
            x = null;
        }
    }
}
