#!/usr/bin/env python3
"""PyTorch fp32 eager reference numbers for tests/gpu/measure.sh, on the same GPU as the Java engine.

Measures, each as one `key=value` line on stdout:
  torch-gemm n=N gflops=X                     square float32 matmul
  torch-encode-image batch=B images_per_s=X   CLIP ViT-B/32 image tower, inference (no_grad)
  torch-train-step batch=B pairs_per_s=X      CLIP ViT-B/32 training step: both towers, symmetric InfoNCE,
                                              loss.item(), backward, AdamW (as `cxrclip bench train-step`;
                                              --clip adds clip_grad_norm_(1.0) as the trainer does)
TF32 is turned off, so this is float32 against the engine's float32. The model is OpenAI's CLIP architecture
written out here (random weights: speed does not depend on them), so nothing needs downloading. Each number is
the best of --repeat timed runs after warm-up, as the engine's `bench` commands report.
"""
import argparse
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class Block(nn.Module):
    """OpenAI's ResidualAttentionBlock on (L, N, W) sequences."""

    def __init__(self, width, heads, mask=None):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), QuickGELU(), nn.Linear(4 * width, width))
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, x):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False, attn_mask=self.mask)[0]
        return x + self.mlp(self.ln_2(x))


class Clip(nn.Module):
    """CLIP ViT-B/32: embed 512, vision 768 wide × 12 layers, patch 32, 224 px; text 512 wide × 12 layers, 77 tokens."""

    def __init__(self, embed=512, vw=768, vl=12, patch=32, res=224, ctx=77, vocab=49408, tw=512, tl=12):
        super().__init__()
        scale = vw ** -0.5
        self.conv1 = nn.Conv2d(3, vw, patch, patch, bias=False)
        self.class_embedding = nn.Parameter(scale * torch.randn(vw))
        self.visual_pos = nn.Parameter(scale * torch.randn((res // patch) ** 2 + 1, vw))
        self.ln_pre = nn.LayerNorm(vw)
        self.visual_blocks = nn.Sequential(*[Block(vw, vw // 64) for _ in range(vl)])
        self.ln_post = nn.LayerNorm(vw)
        self.visual_proj = nn.Parameter(scale * torch.randn(vw, embed))
        self.token_embedding = nn.Embedding(vocab, tw)
        self.positional_embedding = nn.Parameter(0.01 * torch.randn(ctx, tw))
        mask = torch.full((ctx, ctx), float("-inf")).triu_(1)
        self.text_blocks = nn.Sequential(*[Block(tw, tw // 64, mask) for _ in range(tl)])
        self.ln_final = nn.LayerNorm(tw)
        self.text_projection = nn.Parameter(tw ** -0.5 * torch.randn(tw, embed))
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def encode_image(self, x):
        x = self.conv1(x).flatten(2).transpose(1, 2)                          # (N, grid², W)
        x = torch.cat([self.class_embedding.expand(x.shape[0], 1, -1), x], 1) + self.visual_pos
        x = self.visual_blocks(self.ln_pre(x).permute(1, 0, 2)).permute(1, 0, 2)
        return self.ln_post(x[:, 0]) @ self.visual_proj

    def encode_text(self, tokens):
        x = self.token_embedding(tokens) + self.positional_embedding
        x = self.ln_final(self.text_blocks(x.permute(1, 0, 2)).permute(1, 0, 2))
        return x[torch.arange(x.shape[0]), tokens.argmax(-1)] @ self.text_projection


def best_of(fn, repeat, sync):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        sync()
        best = min(best, time.perf_counter() - t0)
    return best


def random_tokens(batch, ctx=77, vocab=49408, gen=None):
    t = torch.zeros(batch, ctx, dtype=torch.long)
    for i in range(batch):
        n = int(torch.randint(5, ctx + 1, (1,), generator=gen))
        t[i, 0] = vocab - 2
        t[i, 1:n - 1] = torch.randint(0, vocab - 2, (n - 2,), generator=gen)
        t[i, n - 1] = vocab - 1
    return t


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default="cuda")
    p.add_argument("--gemm", default="1024,2048,4096", help="square GEMM sizes ('' to skip)")
    p.add_argument("--encode-batch", type=int, default=256)
    p.add_argument("--train-batch", type=int, default=128)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--clip", action="store_true", help="clip the gradient norm to 1 in the training step")
    p.add_argument("--tiny", action="store_true", help="a 2-layer, 64-px model: a dry run of this script on a CPU")
    a = p.parse_args()

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    dev = torch.device(a.device)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    if dev.type == "cuda":
        print(f"torch-device name={torch.cuda.get_device_name(dev).replace(' ', '_')} torch={torch.__version__}")
    gen = torch.Generator().manual_seed(0)

    for n in [int(s) for s in a.gemm.split(",") if s.strip()]:
        x, y = torch.randn(n, n, device=dev), torch.randn(n, n, device=dev)
        for _ in range(3):
            torch.mm(x, y)
        sync()
        inner = max(1, min(100, int(2e11 / (2 * n ** 3))))
        t = best_of(lambda: [torch.mm(x, y) for _ in range(inner)], a.repeat, sync) / inner
        print(f"torch-gemm n={n} gflops={2 * n ** 3 / t / 1e9:.1f}")

    cfg = dict(vl=2, tl=2, res=64) if a.tiny else {}
    model = Clip(**cfg).to(dev)
    res = cfg.get("res", 224)
    if a.encode_batch > 0:
        images = torch.randn(a.encode_batch, 3, res, res, device=dev)
        with torch.no_grad():
            for _ in range(2):
                model.encode_image(images)
            sync()
            t = best_of(lambda: model.encode_image(images), a.repeat, sync)
        print(f"torch-encode-image batch={a.encode_batch} images_per_s={a.encode_batch / t:.2f}")
        del images

    if a.train_batch > 0:
        b = a.train_batch
        images = torch.randn(b, 3, res, res, device=dev)
        tokens = random_tokens(b, gen=gen).to(dev)
        labels = torch.arange(b, device=dev)
        opt = torch.optim.AdamW(model.parameters(), lr=1e-5, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.2)

        def step():
            img = F.normalize(model.encode_image(images), dim=-1)
            txt = F.normalize(model.encode_text(tokens), dim=-1)
            logits = model.logit_scale.exp() * img @ txt.t()
            loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2
            loss.item()
            loss.backward()
            if a.clip:
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            opt.zero_grad(set_to_none=True)

        for _ in range(2):
            step()
        sync()
        t = best_of(step, a.repeat, sync)
        print(f"torch-train-step batch={b} pairs_per_s={b / t:.2f}")


if __name__ == "__main__":
    main()
