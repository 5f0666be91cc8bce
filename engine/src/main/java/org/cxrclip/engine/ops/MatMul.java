package org.cxrclip.engine.ops;

import java.util.Arrays;
import org.cxrclip.engine.Node;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;

/**
 * Matrix products and the linear layer, forward and backward, all on the backend's one GEMM kernel.
 * Transposes are flags passed to the kernel (its packing reads either layout), so x·Wᵀ and every backward
 * product run without copies. Batched operands have shape (batch..., rows, cols); a 2-D operand is broadcast
 * against a batched one, and its gradient is the sum over the batch.
 */
public final class MatMul {
    private MatMul() {}

    /** a · b: (…, M, K) · (…, K, N) → (…, M, N); either side may be 2-D and is then broadcast. */
    public static Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, false, b, false);
    }

    /**
     * op(a) · op(b), where op transposes the last two axes when its flag is set: op(a) is (…, M, K),
     * op(b) is (…, K, N), the result (…, M, N). Batch dims must be equal unless one operand is 2-D.
     */
    public static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        Backend be = OpChecks.sameBackend("matmul", a, b);
        int[] out = productShape("matmul", a.shape(), transA, b.shape(), transB);
        Tensor c = Tensor.zeros(be, out);
        product(transA, a, transB, b, 0f, c);
        return Node.record(c, () -> new MatMulNode(a, transA, b, transB), a, b);
    }

    /**
     * x · weightᵀ + bias: x (…, K) of any rank ≥ 1, weight (N, K), bias (N) or null → (…, N). The bias is
     * written into the output first and the product added onto it (beta = 1), so there is no extra pass.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Backend be = OpChecks.sameBackend("linear", x, weight, bias);
        int[] xs = x.shape();
        Shape.requireRank("linear", "x", xs, 1);
        if (weight.rank() != 2 || weight.dim(1) != xs[xs.length - 1])
            throw new ShapeException("linear: weight must be (N, " + xs[xs.length - 1] + ") for x of shape "
                    + Shape.str(xs) + ", got weight " + Shape.str(weight.shape()));
        int n = weight.dim(0), k = weight.dim(1), rows = Shape.prod(xs, 0, xs.length - 1);
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != n))
            throw new ShapeException("linear: bias must be (" + n + ") for weight " + Shape.str(weight.shape())
                    + ", got bias " + Shape.str(bias.shape()));
        int[] ys = xs.clone();
        ys[ys.length - 1] = n;
        Tensor y = Tensor.zeros(be, ys);
        Tensor y2 = y.view(rows, n), x2 = x.view(rows, k);
        float beta = 0f;
        if (bias != null) {
            // y = ones(rows, 1) · bias(1, N): the bias broadcast over the rows by the GEMM itself.
            be.matmul().gemm(false, false, 1f, ones(be, rows, 1), bias.view(1, n), 0f, y2);
            beta = 1f;
        }
        be.matmul().gemm(false, true, 1f, x2, weight, beta, y2);
        return Node.record(y, () -> new LinearNode(x, weight, bias), x, weight, bias);
    }

    /** The gradients of c = op(a) · op(b): d op(a) = g · op(b)ᵀ, d op(b) = op(a)ᵀ · g, transposed back. */
    private static final class MatMulNode extends Node {
        private Tensor a, b;
        private final boolean transA, transB;

        MatMulNode(Tensor a, boolean transA, Tensor b, boolean transB) {
            super(a, b);
            this.a = a;
            this.b = b;
            this.transA = transA;
            this.transB = transB;
        }

        @Override
        protected void backward(Tensor g) {
            if (a.requiresGrad()) {
                Tensor ga = a.newZeros(a.shape());
                if (!transA) product(false, g, !transB, b, 0f, ga); // dA = g · op(b)ᵀ
                else product(transB, b, true, g, 0f, ga);           // dA = op(b) · gᵀ
                a.accumulateGrad(ga);
            }
            if (b.requiresGrad()) {
                Tensor gb = b.newZeros(b.shape());
                if (!transB) product(!transA, a, false, g, 0f, gb); // dB = op(a)ᵀ · g
                else product(true, g, transA, a, 0f, gb);           // dB = gᵀ · op(a)
                b.accumulateGrad(gb);
            }
        }

        @Override
        protected void release() {
            a = null;
            b = null;
        }
    }

    /** y = x·Wᵀ + b: dx = g · W, dW = gᵀ · x, db = Σ_rows g (as ones(1, rows) · g). */
    private static final class LinearNode extends Node {
        private Tensor x, weight, bias;

        LinearNode(Tensor x, Tensor weight, Tensor bias) {
            super(x, weight, bias);
            this.x = x;
            this.weight = weight;
            this.bias = bias;
        }

        @Override
        protected void backward(Tensor g) {
            Backend be = g.backend();
            int n = weight.dim(0), k = weight.dim(1), rows = Shape.prod(g.shape(), 0, g.rank() - 1);
            Tensor g2 = g.view(rows, n);
            if (x.requiresGrad()) {
                Tensor gx = x.newZeros(x.shape());
                be.matmul().gemm(false, false, 1f, g2, weight, 0f, gx.view(rows, k));
                x.accumulateGrad(gx);
            }
            if (weight.requiresGrad()) {
                Tensor gw = weight.newZeros(n, k);
                be.matmul().gemm(true, false, 1f, g2, x.view(rows, k), 0f, gw);
                weight.accumulateGrad(gw);
            }
            if (bias != null && bias.requiresGrad()) {
                Tensor gb = bias.newZeros(n);
                be.matmul().gemm(false, false, 1f, ones(be, 1, rows), g2, 0f, gb.view(1, n));
                bias.accumulateGrad(gb);
            }
        }

        @Override
        protected void release() {
            x = null;
            weight = null;
            bias = null;
        }
    }

    /**
     * out = op(x) · op(y) + beta·out, where out may be 2-D while x and y are batched: then the batch is summed
     * (the gradient of a broadcast 2-D operand). Flattens batches into rows where the layout allows, so the
     * common linear-style cases are one large GEMM instead of many small ones.
     */
    static void product(boolean tX, Tensor x, boolean tY, Tensor y, float beta, Tensor out) {
        Backend be = out.backend();
        boolean xb = x.rank() > 2, yb = y.rank() > 2, ob = out.rank() > 2;
        if (ob && xb && !yb && !tX) {
            // (batch·M, K) · op(Y) fills (batch·M, N) in one call.
            be.matmul().gemm(false, tY, 1f, rowsView(x), y, beta, rowsView(out));
        } else if (ob || (!xb && !yb)) {
            be.matmul().gemm(tX, tY, 1f, x, y, beta, out);
        } else if (xb && yb && tX && !tY) {
            // Σ_b X_bᵀ Y_b = (batch·S, R)ᵀ · (batch·S, T): the batch joins the contracted axis.
            be.matmul().gemm(true, false, 1f, rowsView(x), rowsView(y), beta, out);
        } else {
            int batch = xb ? batchSize(x) : batchSize(y);
            for (int i = 0; i < batch; i++)
                be.matmul().gemm(tX, tY, 1f, xb ? matrix(x, i) : x, yb ? matrix(y, i) : y, i == 0 ? beta : 1f, out);
        }
    }

    /** The shape of op(a) · op(b), or a ShapeException naming {@code op} and both shapes. */
    static int[] productShape(String op, int[] a, boolean transA, int[] b, boolean transB) {
        Shape.requireRank(op, "a", a, 2);
        Shape.requireRank(op, "b", b, 2);
        int ra = a.length, rb = b.length;
        int m = transA ? a[ra - 1] : a[ra - 2], ka = transA ? a[ra - 2] : a[ra - 1];
        int kb = transB ? b[rb - 1] : b[rb - 2], n = transB ? b[rb - 2] : b[rb - 1];
        String shapes = Shape.str(a) + (transA ? "ᵀ" : "") + " and " + Shape.str(b) + (transB ? "ᵀ" : "");
        if (ka != kb)
            throw new ShapeException(op + ": inner dimensions differ (" + ka + " vs " + kb + ") for shapes " + shapes);
        int[] batchA = Arrays.copyOf(a, ra - 2), batchB = Arrays.copyOf(b, rb - 2);
        if (ra > 2 && rb > 2 && !Arrays.equals(batchA, batchB))
            throw new ShapeException(op + ": batch dimensions differ (" + Shape.str(batchA) + " vs "
                    + Shape.str(batchB) + ") for shapes " + shapes + "; only a 2-D operand is broadcast");
        int[] batch = ra > 2 ? batchA : batchB;
        int[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = m;
        out[batch.length + 1] = n;
        return out;
    }

    /** A batched (…, R, C) tensor as one (…·R, C) matrix. */
    private static Tensor rowsView(Tensor t) {
        return t.view(Shape.prod(t.shape(), 0, t.rank() - 1), t.dim(-1));
    }

    private static int batchSize(Tensor t) {
        return Shape.prod(t.shape(), 0, t.rank() - 2);
    }

    /** Matrix i of a batched (…, R, C) tensor, as an (R, C) view. */
    private static Tensor matrix(Tensor t, int i) {
        int r = t.dim(-2), c = t.dim(-1);
        return t.view(batchSize(t), r, c).rows(i, i + 1).view(r, c);
    }

    private static Tensor ones(Backend be, int rows, int cols) {
        return Tensor.full(be, 1f, rows, cols); // filled on the device: no host copy inside a step
    }
}
