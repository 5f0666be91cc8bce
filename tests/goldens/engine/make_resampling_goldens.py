#!/usr/bin/env python3
"""Golden values for the engine's image-resampling ops, computed with PyTorch 1.13 (CPU, float64).

Run from the repository root:  /usr/bin/python3 tests/goldens/engine/make_resampling_goldens.py
Writes engine/src/test/resources/golden/resampling.txt: one case per block, each line "name n v1 ... vn"
(a plain format because the engine module has no JSON library). For every case: the input x, its shape, the
output y, a fixed output weight w and the gradient of sum(w * y) with respect to x.
  resize:       F.interpolate(x, size, mode="bilinear", align_corners=False)
  affine:       F.grid_sample(x, F.affine_grid(theta, size, align_corners=False), bilinear, zeros, align_corners=False)
  grid:         F.grid_sample with a random grid reaching outside [-1, 1] (zero padding)
"""
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT = os.path.join("engine", "src", "test", "resources", "golden", "resampling.txt")
g = torch.Generator().manual_seed(4321)


def rnd(*shape, lo=-1.0, hi=1.0):
    return torch.rand(*shape, generator=g) * (hi - lo) + lo


def line(name, t):
    v = ["%.9g" % float(x) for x in t.detach().reshape(-1).tolist()]
    return f"{name} {len(v)} {' '.join(v)}"


def case(kind, x, out_size, y_fn, extra):
    x = x.clone().requires_grad_()
    y = y_fn(x)
    w = rnd(*y.shape)
    (y * w).sum().backward()
    lines = [f"case {kind}", line("xshape", torch.tensor(list(x.shape), dtype=torch.float64)),
             line("outsize", torch.tensor(list(out_size), dtype=torch.float64)), line("x", x)]
    lines += [line(k, v) for k, v in extra.items()]
    lines += [line("y", y), line("w", w), line("gx", x.grad), "end"]
    return lines


lines = []
for shape, size in [((2, 3, 5, 7), (9, 4)), ((1, 1, 4, 4), (13, 13)), ((1, 2, 17, 17), (5, 5)), ((1, 1, 15, 15), (32, 32))]:
    lines += case("resize", rnd(*shape), size,
                  lambda x, s=size: F.interpolate(x, size=s, mode="bilinear", align_corners=False), {})

for shape, size in [((2, 2, 6, 5), (7, 8)), ((3, 1, 9, 9), (9, 9))]:
    n = shape[0]
    theta = torch.zeros(n, 2, 3)
    for b in range(n):
        a = float(rnd(1, lo=-0.6, hi=0.6))
        s = float(rnd(1, lo=0.8, hi=1.2))
        theta[b, 0, 0], theta[b, 0, 1] = s * torch.cos(torch.tensor(a)), -s * torch.sin(torch.tensor(a)) + 0.1 * b
        theta[b, 1, 0], theta[b, 1, 1] = s * torch.sin(torch.tensor(a)), s * torch.cos(torch.tensor(a))
        theta[b, :, 2] = rnd(2, lo=-0.3, hi=0.3)
    grid = F.affine_grid(theta, (n, shape[1]) + size, align_corners=False)
    lines += case("affine", rnd(*shape), size,
                  lambda x, gr=grid: F.grid_sample(x, gr, mode="bilinear", padding_mode="zeros", align_corners=False),
                  {"theta": theta, "grid": grid})

for shape, size in [((2, 3, 4, 6), (5, 3))]:
    grid = rnd(shape[0], size[0], size[1], 2, lo=-1.3, hi=1.3)
    lines += case("grid", rnd(*shape), size,
                  lambda x, gr=grid: F.grid_sample(x, gr, mode="bilinear", padding_mode="zeros", align_corners=False),
                  {"grid": grid})

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    f.write("\n".join(lines) + "\n")
print("wrote", OUT, len(lines), "lines")
