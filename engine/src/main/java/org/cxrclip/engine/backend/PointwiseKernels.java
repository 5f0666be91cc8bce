package org.cxrclip.engine.backend;

import org.cxrclip.engine.Tensor;

/** Element-wise kernels. All tensors are contiguous views; shapes are checked by the op layer before the call. */
public interface PointwiseKernels {
    /** out = f(x); x and out have the same number of elements (out may be x: in-place). */
    void unary(UnaryOp op, float p0, float p1, Tensor x, Tensor out);

    /** gradIn = gradOut · f'(x), where y = f(x) is the saved forward output. */
    void unaryBackward(UnaryOp op, float p0, float p1, Tensor x, Tensor y, Tensor gradOut, Tensor gradIn);

    /** out = a (op) b with numpy broadcasting; out has the broadcast shape. */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /** out = cond != 0 ? a : b, all three broadcast to out's shape. */
    void where(Tensor cond, Tensor a, Tensor b, Tensor out);

    /** out = x summed over the axes along which out's shape was broadcast to x's shape (gradient of broadcast). */
    void sumTo(Tensor x, Tensor out);

    /** out = x broadcast to out's shape. */
    void expand(Tensor x, Tensor out);

    void fill(Tensor out, float value);

    /** dst = src, same number of elements. */
    void copy(Tensor src, Tensor dst);

    /** y += alpha · x, same number of elements. */
    void axpy(float alpha, Tensor x, Tensor y);

    /** out[i] = (uniform(seed, i) >= p) ? 1/(1-p) : 0, with the counter-based {@link org.cxrclip.engine.Rng#uniform}. */
    void dropoutMask(long seed, float p, Tensor out);
}
