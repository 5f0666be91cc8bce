// Optimiser updates in place on device buffers (AdamW, SGD) and the per-tensor sum of squares that gradient-norm
// clipping needs; the Java twins are RefOptimizer's loops. Contraction into fma is off so the updates round as
// the host loops do (up to sqrt and division, which OpenCL allows a few ulp).
#pragma OPENCL FP_CONTRACT OFF

// p, g, m, v (n); a1 = 1 − β1, a2 = 1 − β2 (rounded from double on the host):
// m ← β1·m + a1·g; v ← β2·v + a2·g²; p ← p·decay − step_size·m/(√v/bc2_sqrt + ε).
__kernel void adamw(__global float* p, int po, __global const float* g, int go, __global float* m, int mo,
                    __global float* v, int vo, int n, float decay, float beta1, float beta2, float a1, float a2,
                    float eps, float step_size, float bc2_sqrt) {
    int i = get_global_id(0);
    if (i >= n) return;
    float gi = g[go + i];
    float mi = m[mo + i] * beta1 + gi * a1;
    float vi = v[vo + i] * beta2 + gi * gi * a2;
    m[mo + i] = mi;
    v[vo + i] = vi;
    float denom = sqrt(vi) / bc2_sqrt + eps;
    p[po + i] = p[po + i] * decay - step_size * (mi / denom);
}

// p, g, buf (n); has_buf = 0: no momentum (buf unused); first = 1: buf ← d instead of μ·buf + (1 − dampening)·d.
__kernel void sgd(__global float* p, int po, __global const float* g, int go, __global float* buf, int bo,
                  int has_buf, int first, int n, float lr, float weight_decay, float momentum,
                  float one_minus_dampening, int nesterov) {
    int i = get_global_id(0);
    if (i >= n) return;
    float d = g[go + i];
    if (weight_decay != 0.0f) d = d + weight_decay * p[po + i];
    if (has_buf) {
        float b = first ? d : buf[bo + i] * momentum + one_minus_dampening * d;
        buf[bo + i] = b;
        d = nesterov ? d + momentum * b : b;
    }
    p[po + i] = p[po + i] - lr * d;
}

// Stage 1 of Σ x²: each work-group strides over x and writes its compensated partial sum to partial[group].
__kernel void sum_squares_partial(__global const float* x, int xo, int n, __global float* partial) {
    __local float scratch[GROUP];
    int l = get_local_id(0), grp = get_group_id(0);
    long stride = (long) get_num_groups(0) * GROUP;
    float acc = 0.0f, comp = 0.0f;
    for (long i = (long) grp * GROUP + l; i < n; i += stride) {
        float v = x[xo + i];
        float y = v * v - comp, t = acc + y;
        comp = (t - acc) - y;
        acc = t;
    }
    float s = group_sum(acc, scratch);
    if (l == 0) partial[grp] = s;
}

// Stage 2: one work-group adds the count partial sums into out[slot].
__kernel void sum_partials(__global const float* partial, int count, __global float* out, int oo, int slot) {
    __local float scratch[GROUP];
    int l = get_local_id(0);
    float acc = 0.0f;
    for (int i = l; i < count; i += GROUP) acc += partial[i];
    float s = group_sum(acc, scratch);
    if (l == 0) out[oo + slot] = s;
}
