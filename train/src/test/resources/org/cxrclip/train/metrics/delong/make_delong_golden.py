"""Golden numbers for DeLongTest, from the original definition (DeLong et al. 1988): the full m x n
comparison matrix psi(x, y) = 1 if x > y, 1/2 if x == y, 0 otherwise, structural components as its row and
column means, sample covariances with numpy, p from math.erfc. Independent of the fast mid-rank algorithm
(Sun & Xu 2014) used by DeLong.java. Scores are rounded to 1 decimal so ties occur.

Run: /usr/bin/python3 make_delong_golden.py > delong_golden.txt
Each case is 4 lines: 'case m n', truth, scores A, scores B (as float32-exact decimals), then
'auc_a auc_b var_a var_b cov_ab z p' on one line.
"""
import math
import numpy as np


def delong(a, b, truth):
    pos, neg = truth == 1, truth == 0
    comps10, comps01, aucs = [], [], []
    for s in (a, b):
        x, y = s[pos][:, None], s[neg][None, :]
        psi = (x > y).astype(float) + 0.5 * (x == y)
        aucs.append(psi.mean())
        comps10.append(psi.mean(axis=1))
        comps01.append(psi.mean(axis=0))
    m, n = pos.sum(), neg.sum()
    s10, s01 = np.cov(np.array(comps10)), np.cov(np.array(comps01))
    cov = s10 / m + s01 / n
    var = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
    z = (aucs[0] - aucs[1]) / math.sqrt(var)
    p = math.erfc(abs(z) / math.sqrt(2))
    return aucs[0], aucs[1], cov[0, 0], cov[1, 1], cov[0, 1], z, p


rng = np.random.default_rng(20261123)
for case, (n_img, shift) in enumerate([(12, 0.5), (30, 0.3), (57, 0.0), (200, 0.8), (9, 1.0)]):
    truth = (rng.random(n_img) < 0.4).astype(float)
    truth[0], truth[1], truth[2], truth[3] = 1, 1, 0, 0  # at least two of each class
    a = np.round(rng.normal(size=n_img) + shift * truth, 1).astype(np.float32).astype(float)
    b = np.round(0.6 * a + rng.normal(size=n_img) * 0.8 + 0.5 * shift * truth, 1).astype(np.float32).astype(float)
    print("case", int((truth == 1).sum()), int((truth == 0).sum()))
    for row in (truth, a, b):
        print(" ".join(repr(float(v)) for v in row))
    print(" ".join(repr(float(v)) for v in delong(a, b, truth)))
