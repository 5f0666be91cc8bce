#!/usr/bin/env python3
"""Golden outputs for cxrclip's nn.ResidualAttentionBlock, made with PyTorch (Debian python3-torch 1.13).

The block is written here exactly as openai/CLIP's clip/model.py defines it (pre-LN, torch
nn.MultiheadAttention with fused in_proj, MLP c_fc -> QuickGELU -> c_proj), with random weights.
We save the weights under CLIP's state-dict names, an input batch, the output with and without
the causal additive mask, and the gradients of sum(out * w) for the input and every weight.

Run:  /usr/bin/python3 tests/goldens/nn/make_block_golden.py nn/src/test/resources/golden/residual_block.json
"""
import json
import sys
from collections import OrderedDict

import torch
from torch import nn


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model, n_head):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(d_model, d_model * 4)),
            ("gelu", QuickGELU()),
            ("c_proj", nn.Linear(d_model * 4, d_model)),
        ]))
        self.ln_2 = nn.LayerNorm(d_model)

    def forward(self, x, mask):  # x (T, B, d): torch MHA is sequence-first, as in CLIP
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False, attn_mask=mask)[0]
        return x + self.mlp(self.ln_2(x))


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def main(out_path):
    torch.manual_seed(0)
    d, heads, seq, batch = 8, 2, 5, 2
    block = ResidualAttentionBlock(d, heads)
    with torch.no_grad():  # make every parameter non-trivial (torch zero-inits biases, ones LN weights)
        for p in block.parameters():
            p.add_(0.1 * torch.randn_like(p))
    x = torch.randn(batch, seq, d)
    w = torch.randn(batch, seq, d)
    causal = torch.full((seq, seq), float("-inf")).triu_(1)
    result = {"width": d, "heads": heads, "seq": seq, "batch": batch,
              "x": flat(x), "w": flat(w),
              "params": {k: {"shape": list(v.shape), "values": flat(v)} for k, v in block.state_dict().items()}}
    for name, mask in (("plain", None), ("causal", causal)):
        block.zero_grad()
        xin = x.clone().requires_grad_(True)
        out = block(xin.transpose(0, 1), mask).transpose(0, 1)
        (out * w).sum().backward()
        result[name] = {"out": flat(out), "grad_x": flat(xin.grad),
                        "grads": {k: flat(p.grad) for k, p in block.named_parameters()}}
    with open(out_path, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(sys.argv[1])
