// Batched SGEMM: for each batch z, C = alpha · op(A) · op(B) + beta · C, row-major with leading dimensions.
// op(A) is (M, K): A is (M, K) with row stride lda, or (K, M) when trans_a; op(B) is (K, N): B is (K, N) with
// row stride ldb, or (N, K) when trans_b. Operands step by a_step / b_step / c_step floats per batch (0 =
// broadcast). beta = 0 never reads C (it may hold NaN).
//
// Tiling: a 16×16 work-group computes a TS×TS tile of C (TS = 16·WPT), each item a WPT×WPT register block
// (rows ty + 16r, columns tx + 16c, so a warp's stores are contiguous). K advances TK at a time through local
// memory; tiles are loaded so that neighbouring items read neighbouring addresses whichever way the operand is
// stored, and zero-padded at the edges, so any M, N, K works. The host builds two tile sizes: WPT = 4 (64×64
// tiles, for small or thin products) and, with -DWPT=8, 128×128 tiles for large ones (more reuse per load).
// With -DVEC=1 (the host's choice when both operands' offsets, leading dimensions and batch steps are
// multiples of 4, so every row starts 16-byte aligned) each item loads float4s along the operand's contiguous
// axis: a quarter of the load instructions; a vector that would cross the matrix edge is loaded element-wise.

#ifndef WPT
#define WPT 4
#endif
#ifndef VEC
#define VEC 0
#endif
#define TS (16 * WPT)
#define TK 16

#if VEC
// row[at .. at+4) where row + at is 16-byte aligned; `left` elements remain in the row (zeros past them).
inline float4 load4(__global const float* row, int at, int left) {
    if (left >= 4) return *((__global const float4*) (row + at));
    float4 v = (float4) (0.0f);
    if (left > 0) v.x = row[at];
    if (left > 1) v.y = row[at + 1];
    if (left > 2) v.z = row[at + 2];
    return v;
}
#endif

__kernel __attribute__((reqd_work_group_size(16, 16, 1)))
void gemm(int trans_a, int trans_b, int M, int N, int K, float alpha,
          __global const float* A, int ao, int lda, int a_step,
          __global const float* B, int bo, int ldb, int b_step,
          float beta, __global float* C, int co, int ldc, int c_step) {
    __local float As[TK][TS + 1];
    __local float Bs[TK][TS + 1];
    int tx = get_local_id(0), ty = get_local_id(1), tid = ty * 16 + tx;
    int n0 = get_group_id(0) * TS, m0 = get_group_id(1) * TS, z = get_global_id(2);
    A += ao + (long) z * a_step;
    B += bo + (long) z * b_step;
    C += co + (long) z * c_step;

    float acc[WPT][WPT];
    for (int r = 0; r < WPT; r++)
        for (int c = 0; c < WPT; c++) acc[r][c] = 0.0f;

    for (int k0 = 0; k0 < K; k0 += TK) {
#if VEC
        // TS·TK/4 float4s per operand tile, one or two per item.
        for (int l = 0; l < TS * TK / 1024; l++) {
            int q = tid + 256 * l;
            float4 v;
            if (trans_a) { // A (K, M): row k, four consecutive m
                int kk = q / (TS / 4), i = (q % (TS / 4)) * 4, gk = k0 + kk, gm = m0 + i;
                v = gk < K ? load4(A + (long) gk * lda, gm, M - gm) : (float4) (0.0f);
                As[kk][i] = v.x; As[kk][i + 1] = v.y; As[kk][i + 2] = v.z; As[kk][i + 3] = v.w;
            } else {       // A (M, K): row m, four consecutive k
                int i = q / (TK / 4), kk = (q % (TK / 4)) * 4, gm = m0 + i, gk = k0 + kk;
                v = gm < M ? load4(A + (long) gm * lda, gk, K - gk) : (float4) (0.0f);
                As[kk][i] = v.x; As[kk + 1][i] = v.y; As[kk + 2][i] = v.z; As[kk + 3][i] = v.w;
            }
            if (trans_b) { // B (N, K): row n, four consecutive k
                int j = q / (TK / 4), kk = (q % (TK / 4)) * 4, gn = n0 + j, gk = k0 + kk;
                v = gn < N ? load4(B + (long) gn * ldb, gk, K - gk) : (float4) (0.0f);
                Bs[kk][j] = v.x; Bs[kk + 1][j] = v.y; Bs[kk + 2][j] = v.z; Bs[kk + 3][j] = v.w;
            } else {       // B (K, N): row k, four consecutive n
                int kk = q / (TS / 4), j = (q % (TS / 4)) * 4, gk = k0 + kk, gn = n0 + j;
                v = gk < K ? load4(B + (long) gk * ldb, gn, N - gn) : (float4) (0.0f);
                Bs[kk][j] = v.x; Bs[kk][j + 1] = v.y; Bs[kk][j + 2] = v.z; Bs[kk][j + 3] = v.w;
            }
        }
#else
        for (int l = 0; l < TS * TK / 256; l++) {
            int idx = tid + 256 * l;
            int i, kk;
            if (trans_a) { kk = idx / TS; i = idx % TS; } else { i = idx / TK; kk = idx % TK; }
            int gm = m0 + i, gk = k0 + kk;
            As[kk][i] = (gm < M && gk < K) ? (trans_a ? A[(long) gk * lda + gm] : A[(long) gm * lda + gk]) : 0.0f;
            int j;
            if (trans_b) { j = idx / TK; kk = idx % TK; } else { kk = idx / TS; j = idx % TS; }
            int gn = n0 + j;
            gk = k0 + kk;
            Bs[kk][j] = (gn < N && gk < K) ? (trans_b ? B[(long) gn * ldb + gk] : B[(long) gk * ldb + gn]) : 0.0f;
        }
#endif
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int kk = 0; kk < TK; kk++) {
            float a[WPT], b[WPT];
            for (int r = 0; r < WPT; r++) a[r] = As[kk][ty + 16 * r];
            for (int c = 0; c < WPT; c++) b[c] = Bs[kk][tx + 16 * c];
            for (int r = 0; r < WPT; r++)
                for (int c = 0; c < WPT; c++) acc[r][c] = fma(a[r], b[c], acc[r][c]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    for (int r = 0; r < WPT; r++) {
        int gm = m0 + ty + 16 * r;
        if (gm >= M) continue;
        for (int c = 0; c < WPT; c++) {
            int gn = n0 + tx + 16 * c;
            if (gn >= N) continue;
            long at = (long) gm * ldc + gn;
            C[at] = beta == 0.0f ? alpha * acc[r][c] : alpha * acc[r][c] + beta * C[at];
        }
    }
}
