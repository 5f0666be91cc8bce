// Data movement: permute, slices along an axis, row gather and a deterministic row scatter-add.
// One work-item per element moved; every buffer argument is followed by its offset.

// meta = out shape[rank], then the stride in x of each out axis.
__kernel void permute(__global const float* x, int xo, __global float* out, int oo, int n, int rank,
                      __global const int* meta) {
    int i = get_global_id(0);
    if (i < n) out[oo + i] = x[xo + broadcast_offset(i, rank, meta, meta + rank)];
}

// out (outer, len, inner) = x (outer, xlen, inner)[:, start : start + len, :].
__kernel void read_slice(__global const float* x, int xo, __global float* out, int oo, int outer, int len,
                         int xlen, int start, int inner) {
    int i = get_global_id(0);
    if (i >= outer * len * inner) return;
    int j = i % inner, k = (i / inner) % len, o = i / (inner * len);
    out[oo + i] = x[xo + (o * xlen + start + k) * inner + j];
}

// dst (outer, dlen, inner)[:, start : start + len, :] (= or +=) src (outer, len, inner).
__kernel void write_slice(__global const float* src, int so, __global float* dst, int dso, int outer, int len,
                          int dlen, int start, int inner, int accumulate) {
    int i = get_global_id(0);
    if (i >= outer * len * inner) return;
    int j = i % inner, k = (i / inner) % len, o = i / (inner * len);
    int d = dso + (o * dlen + start + k) * inner + j;
    dst[d] = accumulate ? dst[d] + src[so + i] : src[so + i];
}

// out (N, D) row i = table (V, D) row idx[i].
__kernel void gather_rows(__global const float* table, int to, __global const int* idx, __global float* out, int oo,
                          int N, int D) {
    int i = get_global_id(0);
    if (i >= N * D) return;
    out[oo + i] = table[to + idx[i / D] * D + i % D];
}

// table[rows[u], :] += sum of src[order[from[u] .. from[u+1]), :]: the host groups the source rows by
// destination (CSR), so each destination element is owned by one work-item and repeated indices add up in
// their original order, without atomics and the same on every run.
__kernel void scatter_add_rows(__global const float* src, int so, __global float* table, int to,
                               __global const int* plan, int U, int D) {
    int i = get_global_id(0);
    if (i >= U * D) return;
    // plan = rows (U) | from (U + 1) | order (N), uploaded as one copy.
    __global const int* rows = plan;
    __global const int* from = plan + U;
    __global const int* order = plan + 2 * U + 1;
    int u = i / D, j = i % D;
    int t = to + rows[u] * D + j;
    float acc = table[t];
    for (int p = from[u]; p < from[u + 1]; p++) acc += src[so + order[p] * D + j];
    table[t] = acc;
}
