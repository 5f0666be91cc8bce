#!/usr/bin/env python3
"""Golden embeddings for cxrclip's CLIP model, made with PyTorch (Debian python3-torch 1.13).

A tiny CLIP with openai/CLIP's architecture and state-dict names (VisionTransformer with conv1 patchify,
class token, ln_pre, ln_post on the class token, proj; text tower with causal mask, ln_final, pooling at the
arg-max token, text_projection), random weights. Saves the weights as OpenAI-named F32 safetensors (format
written by hand below) and a JSON with the inputs and PyTorch's image features, text features and logits.

Run:  /usr/bin/python3 tests/goldens/clip/make_clip_golden.py clip/src/test/resources/golden
"""
import json
import os
import struct
import sys
from collections import OrderedDict

import torch
from torch import nn


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads)
        self.ln_1 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(OrderedDict([("c_fc", nn.Linear(d, 4 * d)), ("gelu", QuickGELU()),
                                              ("c_proj", nn.Linear(4 * d, d))]))
        self.ln_2 = nn.LayerNorm(d)

    def forward(self, x, mask):
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False, attn_mask=mask)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def forward(self, x, mask=None):
        for b in self.resblocks:
            x = b(x, mask)
        return x


class VisionTransformer(nn.Module):
    def __init__(self, res, patch, width, layers, heads, out):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch, stride=patch, bias=False)
        s = width ** -0.5
        self.class_embedding = nn.Parameter(s * torch.randn(width))
        self.positional_embedding = nn.Parameter(s * torch.randn((res // patch) ** 2 + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.transformer = Transformer(width, layers, heads)
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(s * torch.randn(width, out))

    def forward(self, x):
        x = self.conv1(x)
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)
        cls = self.class_embedding + torch.zeros(x.shape[0], 1, x.shape[-1])
        x = torch.cat([cls, x], dim=1) + self.positional_embedding
        x = self.ln_pre(x)
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        return self.ln_post(x[:, 0, :]) @ self.proj


class CLIP(nn.Module):
    def __init__(self, embed, res, patch, vwidth, vlayers, vheads, ctx, vocab, twidth, theads, tlayers):
        super().__init__()
        self.context_length = ctx
        self.visual = VisionTransformer(res, patch, vwidth, vlayers, vheads, embed)
        self.transformer = Transformer(twidth, tlayers, theads)
        self.token_embedding = nn.Embedding(vocab, twidth)
        self.positional_embedding = nn.Parameter(0.01 * torch.randn(ctx, twidth))
        self.ln_final = nn.LayerNorm(twidth)
        self.text_projection = nn.Parameter(twidth ** -0.5 * torch.randn(twidth, embed))
        self.logit_scale = nn.Parameter(torch.ones([]) * torch.log(torch.tensor(1 / 0.07)))

    def encode_text(self, text):
        x = self.token_embedding(text) + self.positional_embedding
        mask = torch.full((self.context_length, self.context_length), float("-inf")).triu_(1)
        x = self.transformer(x.permute(1, 0, 2), mask).permute(1, 0, 2)
        x = self.ln_final(x)
        return x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        b = t.detach().contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def main(out_dir):
    torch.manual_seed(1)
    # Width 32 gives one head, as build_model's width // 64 rule (floored at 1 by our loader) infers.
    model = CLIP(embed=16, res=16, patch=8, vwidth=32, vlayers=2, vheads=1, ctx=8, vocab=100, twidth=32,
                 theads=1, tlayers=2)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.05 * torch.randn_like(p))
    write_safetensors(os.path.join(out_dir, "tiny_clip.safetensors"), model.state_dict())
    images = torch.randn(2, 3, 16, 16)
    # sot-like 98, eot 99 (the arg-max), zero padding.
    text = torch.tensor([[98, 5, 17, 99, 0, 0, 0, 0], [98, 99, 0, 0, 0, 0, 0, 0], [98, 1, 2, 3, 4, 5, 6, 99]])
    with torch.no_grad():
        img = model.visual(images)
        txt = model.encode_text(text)
        logits = model.logit_scale.exp() * (img / img.norm(dim=-1, keepdim=True)) @ (txt / txt.norm(dim=-1, keepdim=True)).t()
    with open(os.path.join(out_dir, "tiny_clip_outputs.json"), "w") as f:
        json.dump({"images": flat(images), "image_shape": list(images.shape), "text": text.tolist(),
                   "image_features": flat(img), "text_features": flat(txt), "logits": flat(logits)}, f)


if __name__ == "__main__":
    main(sys.argv[1])
