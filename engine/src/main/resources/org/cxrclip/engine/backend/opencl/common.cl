// Helpers shared by every kernel family (prepended to each family's source, after the generated op codes).
// Work-group reductions assume a power-of-two local size: the host launches row kernels with GROUP items.

#define GROUP 128

// Java's Math.max: NaN wins, so a row with a NaN reduces to NaN as on the reference backend.
inline float nan_max(float a, float b) {
    return (isnan(a) || isnan(b)) ? NAN : fmax(a, b);
}

// Sum of v over the work-group; every item gets the result. scratch holds GROUP floats.
inline float group_sum(float v, __local float* scratch) {
    int l = get_local_id(0);
    scratch[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = GROUP / 2; s > 0; s >>= 1) {
        if (l < s) scratch[l] += scratch[l + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

inline float group_max(float v, __local float* scratch) {
    int l = get_local_id(0);
    scratch[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = GROUP / 2; s > 0; s >>= 1) {
        if (l < s) scratch[l] = nan_max(scratch[l], scratch[l + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

// Offset of the operand element that output element `flat` (row-major over shape[0..rank)) reads, given the
// operand's broadcast strides (0 along broadcast axes).
inline int broadcast_offset(int flat, int rank, __global const int* shape, __global const int* strides) {
    int off = 0;
    for (int d = rank - 1; d >= 0; d--) {
        off += (flat % shape[d]) * strides[d];
        flat /= shape[d];
    }
    return off;
}
