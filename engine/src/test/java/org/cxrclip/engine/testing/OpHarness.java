package org.cxrclip.engine.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;

/**
 * Shared checks for every op and every backend:
 * <ul>
 *   <li>{@link #assertBackendsAgree}: a fast backend gives the reference backend's outputs and gradients;</li>
 *   <li>{@link #gradcheck}: the analytic gradient equals central finite differences.</li>
 * </ul>
 * Finite differences run on the reference backend in float32. The scalar probed is L = Σ w·f(x) with fixed
 * random weights w, summed in double. With step h the rounding error of a central difference is about
 * ε₃₂·|L|/h and the truncation error about h²·|f'''|/6; for the small inputs used here (|L| ≲ 10, h = 1e-2 ... 1e-3)
 * both stay below ~1e-3, so a tolerance of atol 2e-3 + rtol 2e-2 separates rounding noise from a wrong
 * formula (which errs by O(1)). Tests that need another step or tolerance say why.
 */
public final class OpHarness {
    private OpHarness() {}

    /**
     * The backends that must agree with the reference: the CPU backend, and the OpenCL backend when
     * {@code -Dcxrclip.test.opencl=true} or {@code CXRCLIP_TEST_OPENCL=1} asks for it. Asked for but without an
     * OpenCL platform is an error, not a skip: CI must never pass by silently leaving the GPU kernels out.
     */
    public static List<Backend> fastBackends() {
        List<Backend> list = new ArrayList<>();
        list.add(Backends.cpu());
        if (openClRequested()) list.add(openCl());
        return list;
    }

    /** True when the build asked for the op suite to run on OpenCL too. */
    public static boolean openClRequested() {
        return Boolean.getBoolean("cxrclip.test.opencl") || "1".equals(System.getenv("CXRCLIP_TEST_OPENCL"));
    }

    /** The OpenCL backend the op suite runs on; fails loudly when no OpenCL platform is installed. */
    public static Backend openCl() {
        try {
            return Backends.byName(System.getProperty("cxrclip.test.opencl.device", "opencl"));
        } catch (RuntimeException | LinkageError e) {
            throw new AssertionError("the OpenCL op tests were requested (cxrclip.test.opencl / CXRCLIP_TEST_OPENCL) "
                    + "but no OpenCL backend could be opened: " + e.getMessage(), e);
        }
    }

    /** Uniform values in [-1, 1) for a seed. */
    public static float[] values(long seed, int n) {
        Rng rng = new Rng(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = 2 * rng.nextFloat() - 1;
        return v;
    }

    /** Uniform values in [lo, hi) for a seed. */
    public static float[] values(long seed, int n, float lo, float hi) {
        Rng rng = new Rng(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * rng.nextFloat();
        return v;
    }

    public static Tensor rand(Backend b, long seed, int... shape) {
        return Tensor.of(b, values(seed, Shape.numel(shape)), shape);
    }

    /** |e − a| <= atol + rtol·|e| element-wise; the message names the first mismatches. */
    public static void assertClose(String what, float[] expected, float[] actual, double rtol, double atol) {
        if (expected.length != actual.length)
            fail(what + ": length " + actual.length + " but expected " + expected.length);
        StringBuilder sb = new StringBuilder();
        int bad = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            double err = Math.abs(e - a);
            boolean ok = err <= atol + rtol * Math.abs(e) || (Double.isNaN(e) && Double.isNaN(a))
                    || (Double.isInfinite(e) && e == a);
            if (!ok) {
                if (bad < 6) sb.append(String.format("%n  [%d] expected %.7g got %.7g (err %.3g)", i, e, a, err));
                bad++;
                worst = Math.max(worst, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
            }
        }
        if (bad > 0)
            fail(what + ": " + bad + " of " + expected.length + " values differ (rtol " + rtol + ", atol " + atol
                    + ", worst " + worst + "):" + sb);
    }

    /**
     * Runs {@code f} on the reference backend and on {@code fast} with the same input values and compares the
     * outputs, then backpropagates the same random output gradient and compares every input's gradient.
     * {@code inputs} are host values with their shapes; all inputs require gradients unless
     * {@code gradInputs} says otherwise (null = all).
     */
    public static void assertBackendsAgree(String op, Backend fast, Function<Tensor[], Tensor> f,
                                           float[][] inputs, int[][] shapes, boolean[] gradInputs,
                                           double rtol, double atol) {
        Tensor[] ref = make(Backends.reference(), inputs, shapes, gradInputs);
        Tensor[] fst = make(fast, inputs, shapes, gradInputs);
        Tensor outRef = f.apply(ref);
        Tensor outFast = f.apply(fst);
        Shape.requireSame(op + " output", outRef.shape(), outFast.shape());
        assertClose(op + " forward on " + fast.name(), outRef.toArray(), outFast.toArray(), rtol, atol);
        if (!outRef.requiresGrad()) return;
        float[] g = values(12345, outRef.numel());
        outRef.backward(Tensor.of(Backends.reference(), g, outRef.shape()));
        outFast.backward(Tensor.of(fast, g, outFast.shape()));
        for (int i = 0; i < ref.length; i++) {
            if (!ref[i].requiresGrad()) continue;
            if (ref[i].grad() == null && fst[i].grad() == null) continue;
            if (ref[i].grad() == null || fst[i].grad() == null)
                fail(op + ": input " + i + " has a gradient on one backend only");
            assertClose(op + " grad of input " + i + " on " + fast.name(), ref[i].grad().toArray(),
                    fst[i].grad().toArray(), rtol, atol);
        }
    }

    public static void assertBackendsAgree(String op, Backend fast, Function<Tensor[], Tensor> f,
                                           float[][] inputs, int[][] shapes, double rtol, double atol) {
        assertBackendsAgree(op, fast, f, inputs, shapes, null, rtol, atol);
    }

    private static Tensor[] make(Backend b, float[][] inputs, int[][] shapes, boolean[] gradInputs) {
        Tensor[] ts = new Tensor[inputs.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = Tensor.of(b, inputs[i], shapes[i]);
            ts[i].requiresGrad(gradInputs == null || gradInputs[i]);
        }
        return ts;
    }

    /** Finite-difference check with the default step 1e-2 and tolerance (see the class comment). */
    public static void gradcheck(String op, Function<Tensor[], Tensor> f, float[][] inputs, int[][] shapes) {
        gradcheck(op, f, inputs, shapes, null, 1e-2, 2e-2, 2e-3);
    }

    /**
     * Compares the analytic gradient of L = Σ w·f(inputs) with central differences (L(x+h) − L(x−h)) / 2h for
     * every element of every input that requires a gradient, on the reference backend.
     */
    public static void gradcheck(String op, Function<Tensor[], Tensor> f, float[][] inputs, int[][] shapes,
                                 boolean[] gradInputs, double h, double rtol, double atol) {
        Backend ref = Backends.reference();
        Tensor[] ts = make(ref, inputs, shapes, gradInputs);
        Tensor out = f.apply(ts);
        float[] w = values(777, out.numel());
        out.backward(Tensor.of(ref, w, out.shape()));
        for (int i = 0; i < ts.length; i++) {
            if (!ts[i].requiresGrad()) continue;
            float[] analytic = ts[i].grad() == null ? new float[inputs[i].length] : ts[i].grad().toArray();
            float[] numeric = new float[inputs[i].length];
            for (int j = 0; j < inputs[i].length; j++) {
                float[][] plus = deepCopy(inputs), minus = deepCopy(inputs);
                plus[i][j] += (float) h;
                minus[i][j] -= (float) h;
                double lp = weightedSum(f, ref, plus, shapes, w);
                double lm = weightedSum(f, ref, minus, shapes, w);
                // Divide by the step actually taken after float rounding of x ± h.
                double step = (double) plus[i][j] - (double) minus[i][j];
                numeric[j] = (float) ((lp - lm) / step);
            }
            assertClose(op + " gradient of input " + i + " (analytic vs finite differences)", numeric, analytic,
                    rtol, atol);
        }
    }

    private static double weightedSum(Function<Tensor[], Tensor> f, Backend b, float[][] inputs, int[][] shapes,
                                      float[] w) {
        Tensor[] ts = new Tensor[inputs.length];
        for (int i = 0; i < ts.length; i++) ts[i] = Tensor.of(b, inputs[i], shapes[i]);
        float[] out;
        try (var g = org.cxrclip.engine.Autograd.noGrad()) {
            out = f.apply(ts).toArray();
        }
        double s = 0;
        for (int i = 0; i < out.length; i++) s += (double) w[i] * out[i];
        return s;
    }

    private static float[][] deepCopy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }
}
