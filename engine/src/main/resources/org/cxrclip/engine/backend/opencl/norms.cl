// Fused normalisations over the last axis: layer norm, (log-)softmax, softmax cross-entropy, and the masked
// softmax and its gradient used by attention. Row kernels run one work-group of GROUP items per row; the sums
// go through local memory (group_sum / group_max in common.cl).

// x, out (rows, C); gamma, beta (C); mean, rstd (rows). Biased variance, eps inside the root (as PyTorch);
// two passes over the row (mean, then squared deviations) to avoid E[x²] − E[x]² cancellation.
__kernel void layer_norm(__global const float* x, int xo, __global const float* gamma, int gmo,
                         __global const float* beta, int bo, float eps, __global float* out, int oo,
                         __global float* mean, int mo, __global float* rstd, int ro, int C) {
    __local float scratch[GROUP];
    int row = get_group_id(0), l = get_local_id(0);
    __global const float* xr = x + xo + (long) row * C;
    float s = 0;
    for (int c = l; c < C; c += GROUP) s += xr[c];
    float m = group_sum(s, scratch) / C;
    float sq = 0;
    for (int c = l; c < C; c += GROUP) {
        float d = xr[c] - m;
        sq += d * d;
    }
    float rs = rsqrt(group_sum(sq, scratch) / C + eps);
    __global float* orow = out + oo + (long) row * C;
    for (int c = l; c < C; c += GROUP) orow[c] = (xr[c] - m) * rs * gamma[gmo + c] + beta[bo + c];
    if (l == 0) {
        mean[mo + row] = m;
        rstd[ro + row] = rs;
    }
}

// gradX = rstd · (dn − mean(dn) − n · mean(dn·n)) with n = (x − mean)·rstd, dn = gradOut·gamma.
__kernel void layer_norm_backward_x(__global const float* x, int xo, __global const float* gamma, int gmo,
                                    __global const float* mean, int mo, __global const float* rstd, int ro,
                                    __global const float* g, int go, __global float* gx, int gxo, int C) {
    __local float scratch[GROUP];
    int row = get_group_id(0), l = get_local_id(0);
    long base = (long) row * C;
    float m = mean[mo + row], rs = rstd[ro + row];
    float a = 0, b = 0;
    for (int c = l; c < C; c += GROUP) {
        float n = (x[xo + base + c] - m) * rs, dn = g[go + base + c] * gamma[gmo + c];
        a += dn;
        b += dn * n;
    }
    float dnMean = group_sum(a, scratch) / C, dnNormMean = group_sum(b, scratch) / C;
    for (int c = l; c < C; c += GROUP) {
        float n = (x[xo + base + c] - m) * rs, dn = g[go + base + c] * gamma[gmo + c];
        gx[gxo + base + c] = rs * (dn - dnMean - n * dnNormMean);
    }
}

// gradGamma[c] = Σ_rows gradOut·n, gradBeta[c] = Σ_rows gradOut: one item per column, neighbours read
// neighbouring columns of each row.
__kernel void layer_norm_backward_params(__global const float* x, int xo, __global const float* mean, int mo,
                                         __global const float* rstd, int ro, __global const float* g, int go,
                                         __global float* gg, int ggo, __global float* gb, int gbo, int rows, int C) {
    int c = get_global_id(0);
    if (c >= C) return;
    float sg = 0, sb = 0;
    for (int r = 0; r < rows; r++) {
        long i = (long) r * C + c;
        float go_ = g[go + i];
        sg += go_ * (x[xo + i] - mean[mo + r]) * rstd[ro + r];
        sb += go_;
    }
    gg[ggo + c] = sg;
    gb[gbo + c] = sb;
}

__kernel void softmax(__global const float* x, int xo, __global float* out, int oo, int C, int log_) {
    __local float scratch[GROUP];
    int row = get_group_id(0), l = get_local_id(0);
    __global const float* xr = x + xo + (long) row * C;
    __global float* orow = out + oo + (long) row * C;
    float mx = -INFINITY;
    for (int c = l; c < C; c += GROUP) mx = nan_max(mx, xr[c]);
    mx = group_max(mx, scratch);
    float s = 0;
    for (int c = l; c < C; c += GROUP) s += exp(xr[c] - mx);
    s = group_sum(s, scratch);
    float logSum = log(s);
    for (int c = l; c < C; c += GROUP) {
        float z = xr[c] - mx;
        orow[c] = log_ ? z - logSum : exp(z) / s;
    }
}

// softmax: gradIn = y·(g − Σ g·y); log_softmax: gradIn = g − exp(y)·Σ g.
__kernel void softmax_backward(__global const float* y, int yo, __global const float* g, int go, __global float* gi,
                               int gio, int C, int log_) {
    __local float scratch[GROUP];
    int row = get_group_id(0), l = get_local_id(0);
    long base = (long) row * C;
    float s = 0;
    for (int c = l; c < C; c += GROUP) s += log_ ? g[go + base + c] : g[go + base + c] * y[yo + base + c];
    s = group_sum(s, scratch);
    for (int c = l; c < C; c += GROUP) {
        float yv = y[yo + base + c], gv = g[go + base + c];
        gi[gio + base + c] = log_ ? gv - exp(yv) * s : yv * (gv - s);
    }
}

// loss = −mean_n logProbs[n, targets[n]], by one work-group.
__kernel void nll_loss(__global const float* lp, int lpo, __global const int* targets, __global float* loss, int lo,
                       int N, int C) {
    __local float scratch[GROUP];
    int l = get_local_id(0);
    float s = 0;
    for (int n = l; n < N; n += GROUP) s -= lp[lpo + (long) n * C + targets[n]];
    s = group_sum(s, scratch);
    if (l == 0) loss[lo] = s / N;
}

// gradLogits = gradLoss · (exp(logProbs) − onehot) / N; gradLoss stays on the device.
__kernel void cross_entropy_backward(__global const float* lp, int lpo, __global const int* targets,
                                     __global const float* gl, int glo, __global float* out, int oo, int N, int C) {
    int i = get_global_id(0);
    if (i >= N * C) return;
    int n = i / C, c = i % C;
    float k = gl[glo] / N;
    out[oo + i] = k * (exp(lp[lpo + i]) - (c == targets[n] ? 1.0f : 0.0f));
}

// Attention probabilities in place: p (B·T, S) holds scale·q·kᵀ; adds the (T, S) mask (has_mask), hides s > t
// when causal, and normalises. Hidden keys get exactly 0; a row that sees no key at all gets all zeros.
__kernel void masked_softmax(__global float* p, int po, __global const float* mask, int mko, int has_mask,
                             int causal, int T, int S) {
    __local float scratch[GROUP];
    int row = get_group_id(0), l = get_local_id(0), t = row % T;
    __global float* pr = p + po + (long) row * S;
    float mx = -INFINITY;
    for (int s = l; s < S; s += GROUP) {
        float z = pr[s] + (has_mask ? mask[mko + t * S + s] : 0.0f);
        if (causal && s > t) z = -INFINITY;
        pr[s] = z;
        mx = nan_max(mx, z);
    }
    mx = group_max(mx, scratch);
    float sum = 0;
    for (int s = l; s < S; s += GROUP) {
        float e = mx == -INFINITY ? 0.0f : exp(pr[s] - mx);
        pr[s] = e;
        sum += e;
    }
    sum = group_sum(sum, scratch);
    for (int s = l; s < S; s += GROUP) pr[s] = sum == 0 ? 0.0f : pr[s] / sum;
}

// dS = P ⊙ (dP − rowsum(dP ⊙ P)) in place over dP (B·T, S).
__kernel void softmax_grad_in_place(__global const float* p, int po, __global float* dp, int dpo, int S) {
    __local float scratch[GROUP];
    int row = get_group_id(0), l = get_local_id(0);
    long base = (long) row * S;
    float s = 0;
    for (int c = l; c < S; c += GROUP) s += dp[dpo + base + c] * p[po + base + c];
    s = group_sum(s, scratch);
    for (int c = l; c < S; c += GROUP) dp[dpo + base + c] = p[po + base + c] * (dp[dpo + base + c] - s);
}
