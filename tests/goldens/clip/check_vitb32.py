#!/usr/bin/env python3
"""One-off check of full-size ViT-B/32 against PyTorch through the command line (not run in CI: the weight
files are 338-605 MB). Steps, in a scratch folder W:

  1. /usr/bin/python3 tests/goldens/clip/check_vitb32.py make W
       random ViT-B/32 with openai/CLIP's architecture (make_clip_golden.py's classes); writes
       W/openai.safetensors (OpenAI names, F32), W/hf.safetensors (HuggingFace CLIPModel names),
       W/jit.pt (torch.jit.trace archive with OpenAI's fp16 convert_weights applied, as the released
       ViT-B-32.pt), W/state_dict.pt (torch.save of the fp16 state dict, as CheXzero's checkpoints),
       W/images/*.png and W/texts.txt
  2. ./cxrclip tokenize --jsonl W/texts.jsonl --truncate > W/tokens.txt   (ids for PyTorch's text side)
  3. /usr/bin/python3 tests/goldens/clip/check_vitb32.py reference W
       PyTorch features for the images (CLIP preprocessing done with PIL as clip._transform) and the texts,
       for both the F32 and the fp16-rounded weights -> W/reference.json
  4. ./cxrclip embed --weights W/<file> --images W/images --texts W/texts.txt --out W/<file>.emb.safetensors
  5. /usr/bin/python3 tests/goldens/clip/check_vitb32.py compare W   -> max relative error per file
  6. ./cxrclip convert --in W/jit.pt --out W/converted.safetensors
     /usr/bin/python3 tests/goldens/clip/check_vitb32.py load-converted W
       PyTorch loads our file (strict load_state_dict into the same architecture) and gives the same features
"""
import glob
import json
import os
import struct
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(__file__))
from make_clip_golden import CLIP, write_safetensors  # noqa: E402

TEXTS = ["no acute cardiopulmonary process", "large right pleural effusion with adjacent atelectasis",
         "Impression: mild cardiomegaly. Findings: the lungs are clear."]


def model():
    torch.manual_seed(0)
    m = CLIP(embed=512, res=224, patch=32, vwidth=768, vlayers=12, vheads=12, ctx=77, vocab=49408, twidth=512,
             theads=8, tlayers=12)
    with torch.no_grad():
        for p in m.parameters():
            p.add_(0.02 * torch.randn_like(p))
    return m.eval()


def hf_names(sd):
    out = {}
    for k, v in sd.items():
        if k.startswith("visual."):
            prefix, rest = "vision_model.", k[len("visual."):]
        else:
            prefix, rest = "text_model.", k
        if rest.startswith("transformer.resblocks."):
            parts = rest.split(".")
            i, sub = parts[2], ".".join(parts[3:])
            base = f"{prefix}encoder.layers.{i}."
            if sub == "attn.in_proj_weight" or sub == "attn.in_proj_bias":
                kind = sub.split("_")[-1]
                for name, chunk in zip(("q", "k", "v"), v.chunk(3, dim=0)):
                    out[f"{base}self_attn.{name}_proj.{kind}"] = chunk
                continue
            sub = (sub.replace("attn.out_proj", "self_attn.out_proj").replace("ln_1", "layer_norm1")
                   .replace("ln_2", "layer_norm2").replace("mlp.c_fc", "mlp.fc1").replace("mlp.c_proj", "mlp.fc2"))
            out[base + sub] = v
            continue
        mapping = {
            "positional_embedding": "text_model.embeddings.position_embedding.weight",
            "token_embedding.weight": "text_model.embeddings.token_embedding.weight",
            "ln_final.weight": "text_model.final_layer_norm.weight", "ln_final.bias": "text_model.final_layer_norm.bias",
            "text_projection": "text_projection.weight", "logit_scale": "logit_scale",
            "visual.class_embedding": "vision_model.embeddings.class_embedding",
            "visual.conv1.weight": "vision_model.embeddings.patch_embedding.weight",
            "visual.positional_embedding": "vision_model.embeddings.position_embedding.weight",
            "visual.ln_pre.weight": "vision_model.pre_layrnorm.weight", "visual.ln_pre.bias": "vision_model.pre_layrnorm.bias",
            "visual.ln_post.weight": "vision_model.post_layernorm.weight", "visual.ln_post.bias": "vision_model.post_layernorm.bias",
            "visual.proj": "visual_projection.weight",
        }
        name = mapping[k]
        out[name] = v.t().contiguous() if name.endswith("projection.weight") else v
    return out


def fp16_like_openai(m):
    """convert_weights: Linear/Conv/MHA weights and biases and the two projections to fp16."""
    for mod in m.modules():
        if isinstance(mod, (torch.nn.Conv2d, torch.nn.Linear)):
            mod.weight.data = mod.weight.data.half()
            if mod.bias is not None:
                mod.bias.data = mod.bias.data.half()
        if isinstance(mod, torch.nn.MultiheadAttention):
            for a in ("in_proj_weight", "in_proj_bias"):
                getattr(mod, a).data = getattr(mod, a).data.half()
    m.visual.proj.data = m.visual.proj.data.half()
    m.text_projection.data = m.text_projection.data.half()
    return m


class Towers(CLIP):
    """The same parameters at the same attribute paths (so the archive's keys are OpenAI's), with a forward
    that torch.jit.trace can record."""

    def __init__(self, m):
        torch.nn.Module.__init__(self)
        self.context_length = m.context_length
        for name in ("visual", "transformer", "token_embedding", "ln_final"):
            setattr(self, name, getattr(m, name))
        self.positional_embedding, self.text_projection, self.logit_scale = (
            m.positional_embedding, m.text_projection, m.logit_scale)

    def forward(self, image, text):
        return self.visual(image), self.encode_text(text)


def is_fp16_in_openai(name):
    return (name.endswith("proj") or name == "text_projection" or "in_proj" in name or ".c_fc." in name
            or ".c_proj." in name or "out_proj" in name or name.endswith("conv1.weight"))


def make(w):
    m = model()
    sd = m.state_dict()
    write_safetensors(os.path.join(w, "openai.safetensors"), sd)
    write_safetensors(os.path.join(w, "hf.safetensors"), hf_names(sd))
    half = fp16_like_openai(model())
    torch.save(half.state_dict(), os.path.join(w, "state_dict.pt"))
    traced = torch.jit.trace(Towers(half.float()), (torch.zeros(1, 3, 224, 224), torch.zeros(1, 77, dtype=torch.long)))
    for name, p in traced.named_parameters():  # stored as OpenAI's release: these fp16, the rest fp32
        if is_fp16_in_openai(name):
            p.data = p.data.half()
    torch.jit.save(traced, os.path.join(w, "jit.pt"))
    os.makedirs(os.path.join(w, "images"), exist_ok=True)
    rng = np.random.default_rng(0)
    for i, (h, wd) in enumerate([(256, 256), (300, 240), (240, 320)]):
        yy, xx = np.mgrid[0:h, 0:wd]
        a = (127 + 60 * np.sin(xx / 17.0 + i) + 40 * np.cos(yy / 23.0) + rng.normal(0, 10, (h, wd))).clip(0, 255)
        Image.fromarray(a.astype(np.uint8), "L").save(os.path.join(w, "images", f"img{i}.png"))
    with open(os.path.join(w, "texts.txt"), "w") as f:
        f.write("\n".join(TEXTS) + "\n")
    with open(os.path.join(w, "texts.jsonl"), "w") as f:
        for t in TEXTS:
            f.write(json.dumps({"text": t}) + "\n")


def clip_preprocess(path):
    im = Image.open(path).convert("RGB")
    wd, h = im.size
    s = 224 / min(wd, h)
    im = im.resize((int(wd * s) if wd > h else 224, int(h * s) if h > wd else 224) if wd != h else (224, 224),
                   Image.BICUBIC)
    wd, h = im.size
    left, top = int(round((wd - 224) / 2.0)), int(round((h - 224) / 2.0))
    im = im.crop((left, top, left + 224, top + 224))
    a = np.asarray(im, dtype=np.float32) / 255.0
    mean = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
    std = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
    return torch.from_numpy(((a - mean) / std).transpose(2, 0, 1).copy())


def reference(w):
    images = torch.stack([clip_preprocess(p) for p in sorted(glob.glob(os.path.join(w, "images", "*.png")))])
    tokens = []
    for line in open(os.path.join(w, "tokens.txt")):
        ids = json.loads(line)
        tokens.append(ids + [0] * (77 - len(ids)))
    text = torch.tensor(tokens)
    out = {}
    for name, m in (("f32", model()), ("f16", fp16_like_openai(model()).float())):
        with torch.no_grad():
            out[name] = {"image": m.visual(images).tolist(), "text": m.encode_text(text).tolist()}
    json.dump(out, open(os.path.join(w, "reference.json"), "w"))


def read_safetensors(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        b, e = v["data_offsets"]
        out[k] = np.frombuffer(data[8 + n + b:8 + n + e], dtype=np.float32).reshape(v["shape"])
    return out


def compare(w):
    ref = json.load(open(os.path.join(w, "reference.json")))
    for f in sorted(glob.glob(os.path.join(w, "*.emb.safetensors"))):
        got = read_safetensors(f)
        kind = "f16" if ("jit" in f or "state_dict" in f) else "f32"
        for tower, key in (("image", "image_embeds"), ("text", "text_embeds")):
            r = np.array(ref[kind][tower], dtype=np.float64)
            g = got[key].astype(np.float64)
            rel = np.abs(g - r).max() / np.abs(r).max()
            print(f"{os.path.basename(f)} {tower}: max |diff| / max |ref| = {rel:.2e}")


def load_converted(w):
    ref = json.load(open(os.path.join(w, "reference.json")))["f16"]
    m = model()
    tensors = {k: torch.from_numpy(v.copy()) for k, v in read_safetensors(os.path.join(w, "converted.safetensors")).items()}
    m.load_state_dict(tensors, strict=True)
    images = torch.stack([clip_preprocess(p) for p in sorted(glob.glob(os.path.join(w, "images", "*.png")))])
    with torch.no_grad():
        img = m.visual(images).numpy()
    r = np.array(ref["image"])
    print(f"converted.safetensors loaded strictly by PyTorch ({len(tensors)} tensors); image features "
          f"max |diff| / max |ref| = {np.abs(img - r).max() / np.abs(r).max():.2e}")


if __name__ == "__main__":
    {"make": make, "reference": reference, "compare": compare,
     "load-converted": load_converted}[sys.argv[1]](sys.argv[2])
