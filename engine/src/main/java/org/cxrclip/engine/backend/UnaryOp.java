package org.cxrclip.engine.backend;

/**
 * Element-wise functions y = f(x; p0, p1). Backends compute both f and, in {@code unaryBackward}, the
 * gradient gradOut·f'(x) (using the saved output y where that is cheaper, e.g. exp, tanh, sigmoid).
 */
public enum UnaryOp {
    NEG,
    EXP,
    LOG,
    SQRT,
    TANH,
    SIGMOID,
    RELU,
    /** x·Φ(x) with the exact erf. */
    GELU_ERF,
    /** 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))). */
    GELU_TANH,
    /** CLIP's x·σ(1.702x). */
    QUICK_GELU,
    /** x^p0 (p0 any real; x > 0 unless p0 is an integer). */
    POW,
    /** min(max(x, p0), p1); gradient 1 strictly inside, 0 outside (PyTorch passes it at the bounds: so do we). */
    CLAMP,
    /** p0·x + p1. */
    AFFINE,
    ABS
}
