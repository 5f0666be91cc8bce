#!/usr/bin/env python3
"""Builds tiny OpenAI-style CLIP checkpoints with PyTorch, as golden fixtures for the Java weight readers.

Run from the repository root with Debian's python3-torch (1.13):
    /usr/bin/python3 tests/goldens/weights/make_fixtures.py            # writes clip/src/test/resources/weights/
    /usr/bin/python3 tests/goldens/weights/make_fixtures.py --check F  # compares a Java-written safetensors file F
                                                                        # with tiny_state_dict.pt, without safetensors

The module classes follow openai/CLIP clip/model.py in names and registration order (written here from the
description in REFERENCE.md §1.1), so state-dict keys are the real ones; dimensions are tiny so the files stay small.
Outputs:
  tiny_state_dict.pt     torch.save(model.state_dict()) after convert_weights (fp16 Linear/Conv/MHA/projections),
                         with one non-contiguous (transposed) tensor and two tensors sharing one storage
  tiny_jit_script.pt     torch.jit.save(torch.jit.script(model)) of the same fp16 model (TorchScript archive)
  tiny_jit_trace.pt      torch.jit.save(torch.jit.trace(model_fp32, ...)) — traced, like OpenAI's released file
  tiny_hf.safetensors    HF CLIPModel names (q/k/v split, projections transposed), written by hand; mixed F32/F16/BF16
                         plus int64 position_ids buffers
  tiny_checksums.json    per file, per OpenAI key: shape, dtype, sum, weighted sum, first two values (of the float32 values
                         PyTorch holds after loading)
"""
import collections
import json
import math
import os
import struct
import sys

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "clip", "src", "test", "resources", "weights")

VISION_WIDTH, VISION_LAYERS, PATCH, GRID = 4, 2, 4, 2
TEXT_WIDTH, TEXT_LAYERS, CONTEXT, VOCAB = 4, 2, 6, 16
EMBED, HEADS = 4, 2


class LayerNorm(nn.LayerNorm):
    def forward(self, x: torch.Tensor):
        t = x.dtype
        w = self.weight.float() if self.weight is not None else None
        b = self.bias.float() if self.bias is not None else None
        return nn.functional.layer_norm(x.float(), self.normalized_shape, w, b, self.eps).type(t)


class QuickGELU(nn.Module):
    def forward(self, x: torch.Tensor):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d, heads, attn_mask=None):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads)
        self.ln_1 = LayerNorm(d)
        self.mlp = nn.Sequential(collections.OrderedDict([
            ("c_fc", nn.Linear(d, 4 * d)), ("gelu", QuickGELU()), ("c_proj", nn.Linear(4 * d, d))]))
        self.ln_2 = LayerNorm(d)
        self.attn_mask = attn_mask

    def attention(self, x: torch.Tensor):
        mask = self.attn_mask
        if mask is not None:
            mask = mask.to(dtype=x.dtype, device=x.device)
        return self.attn(x, x, x, need_weights=False, attn_mask=mask)[0]

    def forward(self, x: torch.Tensor):
        x = x + self.attention(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads, attn_mask=None):
        super().__init__()
        self.width = width
        self.layers = layers
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads, attn_mask) for _ in range(layers)])

    def forward(self, x: torch.Tensor):
        return self.resblocks(x)


class VisionTransformer(nn.Module):
    def __init__(self, resolution, patch, width, layers, heads, output_dim):
        super().__init__()
        self.input_resolution = resolution
        self.output_dim = output_dim
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch, stride=patch, bias=False)
        scale = width ** -0.5
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn((resolution // patch) ** 2 + 1, width))
        self.ln_pre = LayerNorm(width)
        self.transformer = Transformer(width, layers, heads)
        self.ln_post = LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, output_dim))

    def forward(self, x: torch.Tensor):
        x = self.conv1(x)
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)
        cls = self.class_embedding.to(x.dtype) + torch.zeros(x.shape[0], 1, x.shape[-1], dtype=x.dtype)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding.to(x.dtype)
        x = self.ln_pre(x).permute(1, 0, 2)
        x = self.transformer(x).permute(1, 0, 2)
        return self.ln_post(x[:, 0, :]) @ self.proj


class CLIP(nn.Module):
    def __init__(self):
        super().__init__()
        self.visual = VisionTransformer(PATCH * GRID, PATCH, VISION_WIDTH, VISION_LAYERS, HEADS, EMBED)
        mask = torch.empty(CONTEXT, CONTEXT).fill_(float("-inf")).triu_(1)
        self.transformer = Transformer(TEXT_WIDTH, TEXT_LAYERS, HEADS, mask)
        self.token_embedding = nn.Embedding(VOCAB, TEXT_WIDTH)
        self.positional_embedding = nn.Parameter(0.01 * torch.randn(CONTEXT, TEXT_WIDTH))
        self.ln_final = LayerNorm(TEXT_WIDTH)
        self.text_projection = nn.Parameter(TEXT_WIDTH ** -0.5 * torch.randn(TEXT_WIDTH, EMBED))
        self.logit_scale = nn.Parameter(torch.ones([]) * math.log(1 / 0.07))

    def encode_text(self, text: torch.Tensor):
        x = self.token_embedding(text) + self.positional_embedding
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        x = self.ln_final(x)
        return x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection

    def forward(self, image: torch.Tensor, text: torch.Tensor):
        img = self.visual(image)
        txt = self.encode_text(text)
        img = img / img.norm(p=2.0, dim=1, keepdim=True)
        txt = txt / txt.norm(p=2.0, dim=1, keepdim=True)
        logits = self.logit_scale.exp() * img @ txt.t()
        return logits, logits.t()


def convert_weights(model):
    """openai/CLIP convert_weights: fp16 for Conv/Linear/MHA weights and the two projections."""
    def to_half(m):
        if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Linear)):
            m.weight.data = m.weight.data.half()
            if m.bias is not None:
                m.bias.data = m.bias.data.half()
        if isinstance(m, nn.MultiheadAttention):
            for name in ["in_proj_weight", "q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias",
                         "bias_k", "bias_v"]:
                t = getattr(m, name)
                if t is not None:
                    t.data = t.data.half()
        for name in ["text_projection", "proj"]:
            if hasattr(m, name):
                t = getattr(m, name)
                if t is not None:
                    t.data = t.data.half()
    model.apply(to_half)


def build():
    torch.manual_seed(1234)
    model = CLIP()
    with torch.no_grad():
        for p in model.parameters():  # default init leaves zero biases and unit LN weights: make every value distinct
            p.add_(0.05 * torch.randn_like(p))
    # OpenAI's JIT model carries these int64 scalar buffers; build_model deletes them.
    model.register_buffer("input_resolution", torch.tensor(PATCH * GRID))
    model.register_buffer("context_length", torch.tensor(CONTEXT))
    model.register_buffer("vocab_size", torch.tensor(VOCAB))
    return model


def make_views(model):
    """One transposed (non-contiguous) parameter and two parameters sharing one storage at different offsets."""
    with torch.no_grad():
        tp = model.text_projection.data
        model.text_projection.data = tp.t().contiguous().t()  # same values, strides (1, rows)
        both = torch.cat([model.ln_final.weight.data, model.ln_final.bias.data])
        model.ln_final.weight.data = both[:TEXT_WIDTH]
        model.ln_final.bias.data = both[TEXT_WIDTH:]


HF_GLOBAL = {
    "positional_embedding": "text_model.embeddings.position_embedding.weight",
    "text_projection": "text_projection.weight",
    "logit_scale": "logit_scale",
    "visual.class_embedding": "vision_model.embeddings.class_embedding",
    "visual.positional_embedding": "vision_model.embeddings.position_embedding.weight",
    "visual.proj": "visual_projection.weight",
    "visual.conv1.weight": "vision_model.embeddings.patch_embedding.weight",
    "visual.ln_pre.weight": "vision_model.pre_layrnorm.weight",
    "visual.ln_pre.bias": "vision_model.pre_layrnorm.bias",
    "visual.ln_post.weight": "vision_model.post_layernorm.weight",
    "visual.ln_post.bias": "vision_model.post_layernorm.bias",
    "token_embedding.weight": "text_model.embeddings.token_embedding.weight",
    "ln_final.weight": "text_model.final_layer_norm.weight",
    "ln_final.bias": "text_model.final_layer_norm.bias",
}
HF_BLOCK = {"attn.out_proj.weight": "self_attn.out_proj.weight", "attn.out_proj.bias": "self_attn.out_proj.bias",
            "ln_1.weight": "layer_norm1.weight", "ln_1.bias": "layer_norm1.bias",
            "mlp.c_fc.weight": "mlp.fc1.weight", "mlp.c_fc.bias": "mlp.fc1.bias",
            "mlp.c_proj.weight": "mlp.fc2.weight", "mlp.c_proj.bias": "mlp.fc2.bias",
            "ln_2.weight": "layer_norm2.weight", "ln_2.bias": "layer_norm2.bias"}


def to_hf(sd):
    """convert_clip_original_pytorch_to_hf.py's mapping, written out by hand."""
    out = collections.OrderedDict()
    for k, v in sd.items():
        if k in ("input_resolution", "context_length", "vocab_size"):
            continue
        if k in HF_GLOBAL:
            out[HF_GLOBAL[k]] = v.t() if k in ("visual.proj", "text_projection") else v
            continue
        tower, rest = ("vision_model", k[len("visual."):]) if k.startswith("visual.") else ("text_model", k)
        parts = rest.split(".")  # transformer.resblocks.<i>.<suffix>
        prefix = "%s.encoder.layers.%s." % (tower, parts[2])
        suffix = ".".join(parts[3:])
        if suffix in ("attn.in_proj_weight", "attn.in_proj_bias"):
            kind = suffix.rsplit("_", 1)[1]
            for name, chunk in zip(("q_proj", "k_proj", "v_proj"), v.chunk(3, dim=0)):
                out[prefix + "self_attn.%s.%s" % (name, kind)] = chunk
        else:
            out[prefix + HF_BLOCK[suffix]] = v
    out["text_model.embeddings.position_ids"] = torch.arange(CONTEXT).unsqueeze(0)
    out["vision_model.embeddings.position_ids"] = torch.arange(GRID * GRID + 1).unsqueeze(0)
    return out


def save_safetensors(path, tensors, metadata=None):
    """The safetensors layout by hand: u64 header length, JSON header (space-padded to 8), raw little-endian bytes."""
    names = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for k, t in tensors.items():
        t = t.contiguous()
        raw = t.view(torch.int16).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()
        header[k] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """Parses safetensors without the safetensors package: struct + json + torch.frombuffer."""
    dtypes = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64}
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    out = collections.OrderedDict()
    for k, e in header.items():
        b, end = e["data_offsets"]
        buf = bytearray(data[8 + n + b:8 + n + end])
        t = torch.frombuffer(buf, dtype=dtypes[e["dtype"]]) if len(buf) else torch.empty(0, dtype=dtypes[e["dtype"]])
        out[k] = t.reshape(e["shape"])
    return out, meta, n


def g10(x):
    return float("%.10g" % x)


def checksums(sd):
    out = collections.OrderedDict()
    for k, v in sd.items():
        if k in ("input_resolution", "context_length", "vocab_size") or k.endswith("position_ids"):
            continue
        f = v.detach().float().contiguous().reshape(-1).double()
        w = torch.arange(1, f.numel() + 1, dtype=torch.float64)
        out[k] = {"shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", ""),
                  "sum": g10(f.sum().item()), "weighted_sum": g10((f * w).sum().item()),
                  "first": [float("%.9g" % x) for x in f[:2].tolist()]}  # 9 digits round-trip a float32
    return out


def hf_to_openai_values(hf, order):
    """Undoes to_hf with plain torch, to record the checksums a reader must produce under OpenAI names."""
    inv = {v: k for k, v in HF_GLOBAL.items()}
    out = collections.OrderedDict()
    groups = collections.OrderedDict()
    for k, v in hf.items():
        if k.endswith("position_ids"):
            continue
        if k in inv:
            out[inv[k]] = v.t() if inv[k] in ("visual.proj", "text_projection") else v
            continue
        tower, _, _, i, *rest = k.split(".")
        suffix = ".".join(rest)
        prefix = ("visual." if tower == "vision_model" else "") + "transformer.resblocks.%s." % i
        if suffix.startswith("self_attn.") and suffix.split(".")[1] in ("q_proj", "k_proj", "v_proj"):
            kind = suffix.split(".")[2]
            groups.setdefault(prefix + "attn.in_proj_" + kind, {})[suffix.split(".")[1]] = v
        else:
            out[prefix + {v2: k2 for k2, v2 in HF_BLOCK.items()}[suffix]] = v
    for k, g in groups.items():
        out[k] = torch.cat([g["q_proj"].float(), g["k_proj"].float(), g["v_proj"].float()])
    return collections.OrderedDict((k, out[k]) for k in order if k in out)  # OpenAI registration order


def save_jit(module, name, full_dir):
    """Saves with torch.jit.save; the committed copy is stripped, the untouched one kept in full_dir if given."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        # The archive's root folder is named after the file, so save under the final name.
        src = os.path.join(full_dir or tmp, name)
        if full_dir:
            os.makedirs(full_dir, exist_ok=True)
        torch.jit.save(module, src)
        strip_debug_info(src, os.path.join(OUT, name))


def strip_debug_info(src, dst):
    """Rewrites a TorchScript archive without its .debug_pkl entries (source ranges, ~60% of a tiny archive) and
    with the generated code deflated, to keep the fixture small. data.pkl and the storages are copied byte for byte;
    torch.jit.load reads the result (checked below)."""
    import zipfile
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename.endswith(".debug_pkl"):
                continue
            method = zipfile.ZIP_DEFLATED if info.filename.endswith(".py") else zipfile.ZIP_STORED
            zout.writestr(info.filename, zin.read(info.filename), compress_type=method)
    a, b = torch.jit.load(src).state_dict(), torch.jit.load(dst).state_dict()
    assert list(a) == list(b) and all(torch.equal(a[k], b[k]) for k in a), "stripped archive differs"


def main():
    os.makedirs(OUT, exist_ok=True)
    full = sys.argv[2] if len(sys.argv) == 3 and sys.argv[1] == "--full-archives" else None
    model = build()
    fp32_state = {k: v.clone() for k, v in model.state_dict().items()}

    traced_model = build()
    traced_model.eval()
    image = torch.randn(2, 3, PATCH * GRID, PATCH * GRID)
    text = torch.tensor([[1, 5, 7, VOCAB - 1, 0, 0], [1, 9, VOCAB - 1, 0, 0, 0]])
    traced = torch.jit.trace(traced_model, (image, text))
    save_jit(traced, "tiny_jit_trace.pt", full)

    convert_weights(model)
    make_views(model)
    sd = model.state_dict()
    assert not sd["text_projection"].is_contiguous(), "text_projection should be a transposed view"
    assert sd["ln_final.weight"].storage().data_ptr() == sd["ln_final.bias"].storage().data_ptr()
    torch.save(sd, os.path.join(OUT, "tiny_state_dict.pt"))

    scripted = torch.jit.script(model)
    save_jit(scripted, "tiny_jit_script.pt", full)

    hf = to_hf(fp32_state)
    # Mixed dtypes exercise every decoder: fp16 for the attention/MLP weights of block 0, bf16 for one LayerNorm.
    for k in list(hf):
        if ".layers.0." in k and k.endswith("proj.weight"):
            hf[k] = hf[k].half()
    hf["vision_model.post_layernorm.weight"] = hf["vision_model.post_layernorm.weight"].bfloat16()
    save_safetensors(os.path.join(OUT, "tiny_hf.safetensors"), hf, {"format": "pt", "made_by": "make_fixtures.py"})
    hf_back, _, _ = read_safetensors(os.path.join(OUT, "tiny_hf.safetensors"))

    loaded_jit_trace = {k: v for k, v in torch.jit.load(os.path.join(OUT, "tiny_jit_trace.pt")).state_dict().items()}
    loaded_jit_script = {k: v for k, v in torch.jit.load(os.path.join(OUT, "tiny_jit_script.pt")).state_dict().items()}
    loaded_sd = torch.load(os.path.join(OUT, "tiny_state_dict.pt"))
    sums = collections.OrderedDict()
    sums["config"] = {"vision_width": VISION_WIDTH, "vision_layers": VISION_LAYERS, "patch": PATCH, "grid": GRID,
                      "text_width": TEXT_WIDTH, "text_layers": TEXT_LAYERS, "context": CONTEXT, "vocab": VOCAB,
                      "embed": EMBED, "torch": torch.__version__}
    # The scripted model is the saved fp16 model, the traced one the fp32 model built from the same seed.
    assert list(loaded_jit_script) == list(loaded_sd)
    assert all(torch.equal(loaded_jit_script[k], loaded_sd[k]) for k in loaded_sd)
    assert all(torch.equal(loaded_jit_trace[k], fp32_state[k]) for k in fp32_state)
    sums["files"] = {"tiny_state_dict.pt": "fp16_model", "tiny_jit_script.pt": "fp16_model",
                     "tiny_jit_trace.pt": "fp32_model", "tiny_hf.safetensors": "hf_model"}
    sums["fp16_model"] = checksums(loaded_sd)
    sums["fp32_model"] = checksums(loaded_jit_trace)
    sums["hf_model"] = checksums(hf_to_openai_values(hf_back, list(fp32_state)))
    with open(os.path.join(OUT, "tiny_checksums.json"), "w") as f:
        f.write(json.dumps(sums, separators=(",", ":")).replace("},\"", "},\n\""))
    for name in sorted(os.listdir(OUT)):
        print("%-24s %7d bytes" % (name, os.path.getsize(os.path.join(OUT, name))))


def check(path):
    """Compares a safetensors file written by the Java code with tiny_state_dict.pt (float32 values, OpenAI names)."""
    ours, meta, n = read_safetensors(path)
    ref = {k: v.float() for k, v in torch.load(os.path.join(OUT, "tiny_state_dict.pt")).items()
           if k not in ("input_resolution", "context_length", "vocab_size")}
    assert (8 + n) % 8 == 0, "header not padded to 8 bytes"
    assert list(ours) == list(ref), "keys or order differ: %s vs %s" % (list(ours)[:5], list(ref)[:5])
    worst = 0.0
    for k, v in ref.items():
        assert ours[k].dtype == torch.float32, k
        assert ours[k].shape == v.shape, (k, ours[k].shape, v.shape)
        worst = max(worst, (ours[k] - v).abs().max().item())
    print("check %s: %d tensors, %d values, metadata %s, max abs difference %g"
          % (path, len(ours), sum(v.numel() for v in ours.values()), meta, worst))
    if worst != 0.0:
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        main()
