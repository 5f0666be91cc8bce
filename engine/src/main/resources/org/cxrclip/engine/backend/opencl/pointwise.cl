// Element-wise kernels: unary functions and their derivatives, broadcasting binary ops, where, sum-to
// (gradient of broadcast), expand, axpy and the dropout mask. One work-item per output element; the host
// rounds the global size up, so every kernel guards i < n. Every buffer argument is followed by its offset.

inline float sigmoidf(float x) {
    return x >= 0 ? 1.0f / (1.0f + exp(-x)) : exp(x) / (1.0f + exp(x));
}

#define SQRT_2_OVER_PI 0.7978845608028654f
#define INV_SQRT_2 0.7071067811865476f
#define INV_SQRT_2PI 0.3989422804014327f
#define GELU_TANH_C 0.044715f
#define QUICK_GELU_C 1.702f

inline float unary_f(int op, float x, float p0, float p1) {
    switch (op) {
        case U_NEG: return -x;
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_SQRT: return sqrt(x);
        case U_TANH: return tanh(x);
        case U_SIGMOID: return sigmoidf(x);
        case U_RELU: return x > 0 ? x : 0.0f;
        case U_GELU_ERF: return x * 0.5f * erfc(-x * INV_SQRT_2);
        // 0.5·(1 + tanh u) = σ(2u): no cancellation where tanh u ≈ −1.
        case U_GELU_TANH: return x * sigmoidf(2.0f * SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x));
        case U_QUICK_GELU: return x * sigmoidf(QUICK_GELU_C * x);
        case U_POW: return pow(x, p0);
        case U_CLAMP: return fmin(fmax(x, p0), p1);
        case U_AFFINE: return p0 * x + p1;
        case U_ABS: return fabs(x);
    }
    return NAN;
}

// f'(x) given y = f(x) from the forward pass.
inline float unary_df(int op, float x, float y, float p0, float p1) {
    switch (op) {
        case U_NEG: return -1.0f;
        case U_EXP: return y;
        case U_LOG: return 1.0f / x;
        case U_SQRT: return 0.5f / y;
        case U_TANH: return 1.0f - y * y;
        case U_SIGMOID: return y * (1.0f - y);
        case U_RELU: return x > 0 ? 1.0f : 0.0f;
        case U_GELU_ERF: return 0.5f * erfc(-x * INV_SQRT_2) + x * INV_SQRT_2PI * exp(-0.5f * x * x);
        case U_GELU_TANH: {
            // 0.5·(1 + t) = σ(2u) and 0.5·(1 − t²) = 2·σ(2u)·σ(−2u), both with full relative accuracy in the tails.
            float u2 = 2.0f * SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x);
            float sp = sigmoidf(u2), sm = sigmoidf(-u2);
            return sp + 2.0f * x * sp * sm * SQRT_2_OVER_PI * (1.0f + 3.0f * GELU_TANH_C * x * x);
        }
        case U_QUICK_GELU: {
            float s = sigmoidf(QUICK_GELU_C * x);
            return s + QUICK_GELU_C * x * s * (1.0f - s);
        }
        case U_POW: return p0 == 0 ? 0.0f : p0 * pow(x, p0 - 1.0f);
        case U_CLAMP: return (x >= p0 && x <= p1) ? 1.0f : 0.0f;
        case U_AFFINE: return p0;
        case U_ABS: return x > 0 ? 1.0f : (x < 0 ? -1.0f : 0.0f);
    }
    return NAN;
}

__kernel void unary(int op, float p0, float p1, __global const float* x, int xo, __global float* out, int oo, int n) {
    int i = get_global_id(0);
    if (i < n) out[oo + i] = unary_f(op, x[xo + i], p0, p1);
}

__kernel void unary_backward(int op, float p0, float p1, __global const float* x, int xo, __global const float* y,
                             int yo, __global const float* g, int go, __global float* gi, int gio, int n) {
    int i = get_global_id(0);
    if (i < n) gi[gio + i] = g[go + i] * unary_df(op, x[xo + i], y[yo + i], p0, p1);
}

// meta = shape[rank], strides of a[rank], strides of b[rank]; full_a / full_b: that operand has out's shape
// and is read at i directly (the common, unbroadcast case).
__kernel void binary(int op, __global const float* a, int ao, __global const float* b, int bo,
                     __global float* out, int oo, int n, int rank, __global const int* meta, int full_a, int full_b) {
    int i = get_global_id(0);
    if (i >= n) return;
    float x = a[ao + (full_a ? i : broadcast_offset(i, rank, meta, meta + rank))];
    float y = b[bo + (full_b ? i : broadcast_offset(i, rank, meta, meta + 2 * rank))];
    float r;
    switch (op) {
        case B_ADD: r = x + y; break;
        case B_SUB: r = x - y; break;
        case B_MUL: r = x * y; break;
        default: r = x / y; break;
    }
    out[oo + i] = r;
}

// meta = shape[rank], strides of cond, a, b [rank each].
__kernel void where_select(__global const float* c, int co, __global const float* a, int ao, __global const float* b,
                           int bo, __global float* out, int oo, int n, int rank, __global const int* meta) {
    int i = get_global_id(0);
    if (i >= n) return;
    bool take = c[co + broadcast_offset(i, rank, meta, meta + rank)] != 0;
    out[oo + i] = take ? a[ao + broadcast_offset(i, rank, meta, meta + 2 * rank)]
                       : b[bo + broadcast_offset(i, rank, meta, meta + 3 * rank)];
}

// meta = shape[rank], strides of x[rank].
__kernel void expand(__global const float* x, int xo, __global float* out, int oo, int n, int rank,
                     __global const int* meta) {
    int i = get_global_id(0);
    if (i < n) out[oo + i] = x[xo + broadcast_offset(i, rank, meta, meta + rank)];
}

// out[j] = sum of x over the reduced axes. kept = (size, x stride) of each kept axis, reduced likewise;
// compensated (Kahan) sum because a bias gradient may add up tens of thousands of terms.
__kernel void sum_to(__global const float* x, int xo, __global float* out, int oo, int n,
                     int nk, __global const int* kept, int nr, int count, __global const int* reduced) {
    int j = get_global_id(0);
    if (j >= n) return;
    int base = 0, f = j;
    for (int d = nk - 1; d >= 0; d--) {
        base += (f % kept[2 * d]) * kept[2 * d + 1];
        f /= kept[2 * d];
    }
    float sum = 0, comp = 0;
    for (int r = 0; r < count; r++) {
        int off = base, g = r;
        for (int d = nr - 1; d >= 0; d--) {
            off += (g % reduced[2 * d]) * reduced[2 * d + 1];
            g /= reduced[2 * d];
        }
        float v = x[xo + off] - comp;
        float t = sum + v;
        comp = (t - sum) - v;
        sum = t;
    }
    out[oo + j] = sum;
}

__kernel void axpy(float alpha, __global const float* x, int xo, __global float* y, int yo, int n) {
    int i = get_global_id(0);
    if (i < n) y[yo + i] += alpha * x[xo + i];
}

// SplitMix64's finaliser; ulong arithmetic wraps exactly like Java's long, and >> on ulong is Java's >>>.
inline ulong mix64(ulong z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
    return z ^ (z >> 31);
}

// Rng.uniform(seed, i): the same counter-based numbers as the host backends.
__kernel void dropout_mask(ulong seed, float p, float keep, __global float* out, int oo, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    ulong h = mix64(mix64(seed + 0x9E3779B97F4A7C15UL) ^ ((ulong) i * 0xD1B54A32D192ED03UL + 0x632BE59BD9B4E019UL));
    float u = (float) (h >> 40) * 0x1.0p-24f;
    out[oo + i] = u >= p ? keep : 0.0f;
}
