// Reductions along one axis, x viewed as (outer, n, inner); out is (outer, inner). When inner = 1 (the last
// axis) a work-group of GROUP items shares each row, so long rows are read coalesced; otherwise one work-item
// per output walks its strided column, neighbouring items reading neighbouring columns.

// op: 0 = sum, 1 = max (ReduceOp ordinals).
__kernel void reduce_columns(int op, __global const float* x, int xo, __global float* out, int oo,
                             int outer, int n, int inner) {
    int id = get_global_id(0);
    if (id >= outer * inner) return;
    int o = id / inner, j = id % inner;
    int base = xo + o * n * inner + j;
    float acc = op == 0 ? 0.0f : -INFINITY, comp = 0;
    for (int k = 0; k < n; k++) {
        float v = x[base + k * inner];
        if (op == 0) {
            float y = v - comp, t = acc + y;
            comp = (t - acc) - y;
            acc = t;
        } else {
            acc = nan_max(acc, v);
        }
    }
    out[oo + id] = acc;
}

__kernel void reduce_rows(int op, __global const float* x, int xo, __global float* out, int oo, int n) {
    __local float scratch[GROUP];
    int row = get_group_id(0), l = get_local_id(0);
    __global const float* xr = x + xo + (long) row * n;
    float acc = op == 0 ? 0.0f : -INFINITY;
    for (int k = l; k < n; k += GROUP) acc = op == 0 ? acc + xr[k] : nan_max(acc, xr[k]);
    float r = op == 0 ? group_sum(acc, scratch) : group_max(acc, scratch);
    if (l == 0) out[oo + row] = r;
}

// gradIn = gradOut at the first maximum along the axis (NaN counts as the maximum), 0 elsewhere.
__kernel void max_backward(__global const float* x, int xo, __global const float* g, int go, __global float* gi,
                           int gio, int outer, int n, int inner) {
    int id = get_global_id(0);
    if (id >= outer * inner) return;
    int o = id / inner, j = id % inner;
    int base = o * n * inner + j;
    int best = 0;
    for (int k = 1; k < n; k++) {
        float v = x[xo + base + k * inner], m = x[xo + base + best * inner];
        if (v > m || (isnan(v) && !isnan(m))) best = k;
    }
    float gv = g[go + id];
    for (int k = 0; k < n; k++) gi[gio + base + k * inner] = k == best ? gv : 0.0f;
}
