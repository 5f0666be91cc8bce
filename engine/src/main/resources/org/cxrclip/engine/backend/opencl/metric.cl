// Triplet selection over a distance matrix D (B, B) with one label per row: the loss and dL/dD for an upstream
// gradient of 1, without D leaving the device. The Java twin is RefMetric (anchor, reduce). Three launches:
//   triplet_all_rows / triplet_hard_rows: one work-group per anchor a writes row a of the unscaled gradient
//       (+1 per active triplet at its positive, −1 at its negative) and the anchor's partial hinge sum and count;
//   triplet_reduce: one work-item adds the partials in anchor order (deterministic) into the loss and the
//       gradient scale w (1/count for the mean);
//   triplet_scale: gradient *= w (mean only).
// partial holds 2B + 1 floats: hinge sums [0, B), counts [B, 2B) (integers, exact in float for B <= 4096), w [2B].
// A hinge (D[a, p] − D[a, n]) + margin rounds as in the Java twin (contraction into fma is off), so the same
// triplets count on every backend; only the order of the sums differs.
#pragma OPENCL FP_CONTRACT OFF

// Batch-all. Entry j of row a is independent of the others: for a positive j (label of a, j != a) it counts the
// negatives n with D[a, j] − D[a, n] + margin > 0 and adds those hinges; for a negative j it is minus the number
// of positives p with D[a, p] − D[a, j] + margin > 0. The anchor's sum and count are those of its positive entries.
__kernel void triplet_all_rows(__global const float* d, int dOff, __global const int* labels, int b, float margin,
                               __global float* g, int gOff, __global float* partial) {
    __local float scratch[GROUP];
    int a = get_group_id(0), l = get_local_id(0);
    int la = labels[a];
    __global const float* row = d + dOff + (long) a * b;
    float sum = 0.0f, comp = 0.0f, count = 0.0f;
    for (int j = l; j < b; j += GROUP) {
        float entry = 0.0f;
        if (labels[j] == la) {
            if (j != a) {
                float dap = row[j];
                for (int n = 0; n < b; n++) {
                    if (labels[n] == la) continue;
                    float h = dap - row[n] + margin;
                    if (h > 0.0f) {
                        float y = h - comp, t = sum + y; // compensated: up to B hinges per entry
                        comp = (t - sum) - y;
                        sum = t;
                        entry += 1.0f;
                    }
                }
                count += entry;
            }
        } else {
            float dan = row[j];
            for (int p = 0; p < b; p++) {
                if (p == a || labels[p] != la) continue;
                if (row[p] - dan + margin > 0.0f) entry -= 1.0f;
            }
        }
        g[gOff + (long) a * b + j] = entry;
    }
    float s = group_sum(sum, scratch);
    float c = group_sum(count, scratch);
    if (l == 0) {
        partial[a] = s;
        partial[b + a] = c;
    }
}

// Batch-hard. The farthest positive and the nearest negative of anchor a (first index on ties, as a scan with
// strict comparisons gives) are found by work-item 0; every item then writes its share of row a.
__kernel void triplet_hard_rows(__global const float* d, int dOff, __global const int* labels, int b, float margin,
                                __global float* g, int gOff, __global float* partial) {
    __local int hard[2]; // positive, negative; −1 when the anchor is skipped or its hinge is not active
    int a = get_group_id(0), l = get_local_id(0);
    __global const float* row = d + dOff + (long) a * b;
    if (l == 0) {
        int la = labels[a], hp = -1, hn = -1;
        for (int j = 0; j < b; j++) {
            float v = row[j];
            if (labels[j] == la) {
                if (j != a && (hp < 0 || v > row[hp])) hp = j;
            } else if (hn < 0 || v < row[hn]) {
                hn = j;
            }
        }
        float sum = 0.0f, count = 0.0f;
        if (hp >= 0 && hn >= 0) {
            count = 1.0f;
            float h = row[hp] - row[hn] + margin;
            if (h > 0.0f) sum = h;
            else hp = hn = -1;
        } else {
            hp = hn = -1;
        }
        hard[0] = hp;
        hard[1] = hn;
        partial[a] = sum;
        partial[b + a] = count;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    int hp = hard[0], hn = hard[1];
    for (int j = l; j < b; j += GROUP)
        g[gOff + (long) a * b + j] = j == hp ? 1.0f : (j == hn ? -1.0f : 0.0f);
}

// One work-item: the partials of the b anchors in anchor order into loss[0] and the gradient scale partial[2b].
__kernel void triplet_reduce(__global float* partial, int b, int mean, __global float* loss, int lossOff) {
    if (get_global_id(0) != 0) return;
    float sum = 0.0f, comp = 0.0f;
    long count = 0;
    for (int a = 0; a < b; a++) {
        float y = partial[a] - comp, t = sum + y;
        comp = (t - sum) - y;
        sum = t;
        count += (long) partial[b + a];
    }
    float w = 1.0f;
    if (count == 0) sum = 0.0f;
    else if (mean) {
        w = 1.0f / (float) count;
        sum = sum / (float) count;
    }
    loss[lossOff] = sum;
    partial[2 * b] = w;
}

// gradient (n) *= partial[scaleAt].
__kernel void triplet_scale(__global float* g, int gOff, int n, __global const float* partial, int scaleAt) {
    int i = get_global_id(0);
    if (i >= n) return;
    g[gOff + i] *= partial[scaleAt];
}
