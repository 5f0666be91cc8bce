#!/usr/bin/env python3
"""Golden values for the train module's losses, optimisers and schedules, computed with PyTorch 1.13 (CPU).

Run from the repository root:  /usr/bin/python3 tests/goldens/train/make_train_goldens.py
Writes train/src/test/resources/golden/{losses,optimizers,schedules}.json. All inputs are fixed numbers
generated here with a seeded torch.Generator, so the JSON carries inputs and expected outputs together.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)  # goldens in double; the Java side computes in float32
OUT = os.path.join("train", "src", "test", "resources", "golden")
g = torch.Generator().manual_seed(1234)


def rnd(*shape, scale=1.0):
    return (torch.rand(*shape, generator=g) * 2 - 1) * scale


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def infonce():
    img = rnd(4, 3).requires_grad_()
    txt = rnd(4, 3).requires_grad_()
    scale = torch.tensor(math.log(1 / 0.07)).requires_grad_()
    logits = scale.exp() * F.normalize(img, dim=-1) @ F.normalize(txt, dim=-1).t()
    labels = torch.arange(4)
    loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2
    loss.backward()
    return dict(img=flat(img), txt=flat(txt), shape=[4, 3], logit_scale=float(scale), loss=float(loss),
                grad_img=flat(img.grad), grad_txt=flat(txt.grad), grad_logit_scale=float(scale.grad))


def bce():
    x = rnd(3, 4, scale=4.0)
    x[0, 0] = 0.0  # a logit exactly 0, where kink-based compositions get the gradient wrong
    x[1, 1] = 30.0  # a large logit, where the naive formula overflows
    x = x.requires_grad_()
    y = torch.tensor([[1, 0, 1, 0], [0, 1, 0, 0], [1, 1, 0, 1]], dtype=torch.float64)
    y[2, 2] = 0.3  # soft target
    pw = torch.tensor([2.0, 0.5, 1.0, 9.0])
    loss = F.binary_cross_entropy_with_logits(x, y, pos_weight=pw)
    loss.backward()
    out = dict(logits=flat(x), targets=flat(y), shape=[3, 4], pos_weight=flat(pw), loss=float(loss),
               grad=flat(x.grad))
    # Masked: entries (0,1) and (2,3) missing (NaN in the Java targets): mean over the 10 others.
    x2 = x.detach().clone().requires_grad_()
    mask = torch.ones(3, 4)
    mask[0, 1] = 0
    mask[2, 3] = 0
    per = F.binary_cross_entropy_with_logits(x2, y, pos_weight=pw, reduction="none")
    loss2 = (per * mask).sum() / mask.sum()
    loss2.backward()
    out.update(masked=[[0, 1], [2, 3]], masked_loss=float(loss2), masked_grad=flat(x2.grad))
    return out


def triplet_case(emb, labels, margin, normalize):
    """Straightforward triplet losses written with explicit loops (an independent formulation)."""
    x = emb.clone().requires_grad_()
    z = F.normalize(x, dim=-1) if normalize else x
    n = len(labels)
    d = lambda i, j: torch.sqrt(((z[i] - z[j]) ** 2).sum())
    # batch-all: mean over valid triplets whose loss is > 0
    terms = []
    for a in range(n):
        for p in range(n):
            if p == a or labels[p] != labels[a]:
                continue
            for q in range(n):
                if labels[q] == labels[a]:
                    continue
                l = d(a, p) - d(a, q) + margin
                if l.item() > 0:
                    terms.append(l)
    all_loss = torch.stack(terms).mean() if terms else torch.zeros(()) * x.sum()
    all_loss.backward()
    grad_all = flat(x.grad)
    x.grad = None
    z = F.normalize(x, dim=-1) if normalize else x
    # batch-hard: per anchor with a positive and a negative, farthest positive and nearest negative
    terms = []
    for a in range(n):
        pos = [d(a, p) for p in range(n) if p != a and labels[p] == labels[a]]
        neg = [d(a, q) for q in range(n) if labels[q] != labels[a]]
        if not pos or not neg:
            continue
        terms.append(torch.relu(torch.stack(pos).max() - torch.stack(neg).min() + margin))
    hard_loss = torch.stack(terms).mean()
    hard_loss.backward()
    return dict(emb=flat(emb), shape=list(emb.shape), labels=labels, margin=margin, normalize=normalize,
                batch_all=float(all_loss), grad_batch_all=grad_all, batch_hard=float(hard_loss),
                grad_batch_hard=flat(x.grad))


def triplets():
    emb = rnd(7, 3)
    labels = [0, 0, 1, 1, 2, 0, 3]  # label 2 and 3 anchors have no positive: skipped
    return [triplet_case(emb, labels, 0.5, False), triplet_case(emb, labels, 0.3, True)]


def grads_for(step, shapes):
    gg = torch.Generator().manual_seed(100 + step)
    return [(torch.rand(*s, generator=gg) * 2 - 1) for s in shapes]


def optim_run(make_opt, steps, sched=None):
    w = rnd(3, 2).requires_grad_()
    b = rnd(2).requires_grad_()
    w0, b0 = flat(w), flat(b)
    opt = make_opt(w, b)
    sch = sched(opt) if sched else None
    hist = []
    for s in range(steps):
        gw, gb = grads_for(s, [(3, 2), (2,)])
        w.grad, b.grad = gw, gb
        lr = opt.param_groups[0]["lr"]
        mom = opt.param_groups[0].get("betas", (opt.param_groups[0].get("momentum"),))[0]
        opt.step()
        if sch:
            sch.step()
        hist.append(dict(grad_w=flat(gw), grad_b=flat(gb), lr=lr, momentum=mom, w=flat(w), b=flat(b)))
    return dict(w0=w0, b0=b0, steps=hist)


def optimizers():
    out = {}
    # AdamW, thesis hyper-parameters; weight decay on w only (b in a no-decay group).
    out["adamw"] = optim_run(lambda w, b: torch.optim.AdamW(
        [dict(params=[w]), dict(params=[b], weight_decay=0.0)], lr=1e-2, betas=(0.9, 0.98), eps=1e-6,
        weight_decay=0.2), 6)
    # AdamW driven by OneCycleLR with beta1 cycling (lr and beta1 change every step).
    out["adamw_onecycle"] = optim_run(lambda w, b: torch.optim.AdamW(
        [w, b], lr=1e-2, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.2), 8,
        sched=lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=1e-2, total_steps=8, pct_start=0.3))
    out["sgd"] = optim_run(lambda w, b: torch.optim.SGD([w, b], lr=0.1, momentum=0.9, weight_decay=1e-2), 5)
    out["sgd_nesterov"] = optim_run(lambda w, b: torch.optim.SGD(
        [w, b], lr=0.1, momentum=0.9, weight_decay=1e-2, nesterov=True), 5)
    # clip_grad_norm_
    a, c = rnd(3, 2), rnd(4)
    pa, pc = torch.zeros(3, 2, requires_grad=True), torch.zeros(4, requires_grad=True)
    pa.grad, pc.grad = a.clone(), c.clone()
    total = torch.nn.utils.clip_grad_norm_([pa, pc], max_norm=0.5)
    out["clip"] = dict(grad_a=flat(a), grad_c=flat(c), max_norm=0.5, total_norm=float(total),
                       clipped_a=flat(pa.grad), clipped_c=flat(pc.grad))
    return out


def onecycle(total, pct, max_lr=1e-3):
    # torch divides by zero when pct * total == 1 exactly (the warm-up ends at step 0); the Java side rejects it.
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.AdamW([p], lr=max_lr, betas=(0.9, 0.98))
    s = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=max_lr, total_steps=total, pct_start=pct)
    lrs, moms = [], []
    for _ in range(total):
        lrs.append(opt.param_groups[0]["lr"])
        moms.append(opt.param_groups[0]["betas"][0])
        opt.step()
        s.step()
    return dict(total_steps=total, pct_start=pct, max_lr=max_lr, lr=lrs, beta1=moms)


def plateau():
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=1e-2)
    s = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.1, patience=2, min_lr=1e-5)
    metrics = [1.0, 0.9, 0.9, 0.89995, 0.95, 0.8, 0.85, 0.85, 0.85, 0.85, 0.7, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8,
               0.8, 0.8, 0.8, float("nan"), 0.8]
    lrs = []
    for m in metrics:
        s.step(m)
        lrs.append(opt.param_groups[0]["lr"])
    return dict(lr0=1e-2, min_lr=1e-5, metrics=[m if not math.isnan(m) else "NaN" for m in metrics], lr=lrs)


def write(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, indent=1)


if __name__ == "__main__":
    write("losses.json", dict(infonce=infonce(), bce=bce(), triplet=triplets()))
    write("optimizers.json", optimizers())
    write("schedules.json", dict(onecycle=[onecycle(100, 0.05), onecycle(21, 0.05), onecycle(37, 0.3)],
                                 plateau=plateau()))
