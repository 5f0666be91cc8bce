#!/usr/bin/python3
"""Golden fixtures for org.cxrclip.clip.image (ImageDecoder, PilResample, TorchResize, ClipTransform,
CheXzeroTransform).

Run with Debian's Python (Pillow 9.4, torch 1.13.1, torchvision 0.14.1 from apt):
    /usr/bin/python3 tests/goldens/images/make_goldens.py clip/src/test/resources/images

Inputs are tiny synthetic images (seeded); expected arrays are raw little-endian float32, C-order (C,H,W)
or (H,W); arrays that hold PIL uint8 results are stored as raw bytes (.u8) instead. The CLIP transform golden is torchvision's own Compose exactly as openai/CLIP `_transform`
builds it; the CheXzero golden follows rajpurkarlab/CheXzero `data_process.preprocess` (PIL Lanczos,
paste onto an 'L' canvas) and `train.py` (Normalize, then tensor Resize bicubic, no antialias).
"""
import os
import sys

import numpy as np
import torch
from PIL import Image
from torchvision.transforms import CenterCrop, Compose, InterpolationMode, Normalize, Resize, ToTensor

OUT = sys.argv[1] if len(sys.argv) > 1 else "clip/src/test/resources/images"
rng = np.random.RandomState(20240611)
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)


def save_f32(name, arr):
    np.ascontiguousarray(arr, dtype="<f4").tofile(os.path.join(OUT, name))


def save_u8(name, arr):
    """Integral 0..255 arrays (PIL uint8 results) are stored as bytes to keep the fixture small."""
    a = np.asarray(arr)
    assert np.array_equal(a, np.round(a)) and a.min() >= 0 and a.max() <= 255, name
    np.ascontiguousarray(a, dtype=np.uint8).tofile(os.path.join(OUT, name))


def save_planes(stem, arr):
    a = np.asarray(arr, dtype=np.float32)
    if np.array_equal(a, np.round(a)):
        save_u8(stem + ".u8", a)
    else:
        save_f32(stem + ".f32", a)


def gradient(h, w, lo, hi, noise):
    y, x = np.mgrid[0:h, 0:w]
    g = lo + (hi - lo) * (0.6 * x / max(w - 1, 1) + 0.4 * y / max(h - 1, 1))
    g = g + noise * rng.standard_normal((h, w))
    # a sharp disc so that ringing (negative lobes, clipping at 0/255) is exercised
    g[(y - h / 2) ** 2 + (x - w / 3) ** 2 < (min(h, w) / 5) ** 2] = hi
    return g


def make_inputs():
    ims = {}
    g8 = np.clip(gradient(53, 37, 0, 255, 12), 0, 255).astype(np.uint8)
    ims["gray8.png"] = Image.fromarray(g8, "L")
    g16 = np.clip(gradient(29, 37, 300, 65000, 2000), 0, 65535).astype(np.uint16)
    ims["gray16.png"] = Image.fromarray(g16)  # saved as a 16-bit grayscale PNG
    rgb = np.stack([gradient(45, 61, 0, 255, 10), gradient(45, 61, 255, 20, 10)[:, ::-1],
                    gradient(45, 61, 60, 200, 30)], axis=-1)
    rgb = np.clip(rgb, 0, 255).astype(np.uint8)
    ims["rgb.jpg"] = Image.fromarray(rgb, "RGB")
    ims["rgb.png"] = Image.fromarray(rgb, "RGB")
    rgba = np.concatenate([rgb[:41, :29], np.clip(gradient(41, 29, 0, 255, 40), 0, 255)
                           .astype(np.uint8)[..., None]], axis=-1)
    rgba[0:5, 0:5, 3] = 0  # fully transparent corner
    ims["rgba.png"] = Image.fromarray(rgba, "RGBA")
    la = np.stack([g8[:31, :23], np.clip(gradient(31, 23, 255, 30, 30), 0, 255).astype(np.uint8)], -1)
    ims["la.png"] = Image.fromarray(la, "LA")
    ims["palette.png"] = ims["rgb.png"].crop((0, 0, 33, 27)).quantize(colors=16)
    xs = np.clip(gradient(48, 64, 10, 240, 6), 0, 255).astype(np.uint8)
    ims["xray_small.png"] = Image.fromarray(xs, "L")
    for name, im in ims.items():
        im.save(os.path.join(OUT, name), quality=90) if name.endswith(".jpg") else im.save(os.path.join(OUT, name))
    return sorted(ims)


def planes(im):
    """Decoded pixels in ImageDecoder's convention: (C,H,W) floats in 0..255."""
    a = np.asarray(im)
    if im.mode == "I":  # 16-bit gray: cxrclip scales to 0..255 (PIL would clip at 255 in convert)
        return (a.astype(np.float64) * 255.0 / 65535.0).astype(np.float32)[None]
    if im.mode == "P":
        a = np.asarray(im.convert("RGB"))
    a = a.astype(np.float32)
    return a[None] if a.ndim == 2 else a.transpose(2, 0, 1)


def clip_short_side(w, h, n):
    # torchvision _compute_resized_output_size: short side -> n, long side truncated
    if w <= h:
        return n, int(n * h / w)
    return int(n * w / h), n


def float_plane_image(im):
    return Image.fromarray(planes(im)[0], "F")


def pil_resize_crop(im, n):
    """Resize(n, BICUBIC) + CenterCrop(n) + convert('RGB'), as uint8 planes (3,n,n)."""
    if im.mode == "I":  # our convention: float plane resized in mode 'F' (no per-pass rounding)
        f = float_plane_image(im)
        f = CenterCrop(n)(Resize(n, InterpolationMode.BICUBIC)(f))
        return np.repeat(np.asarray(f, dtype=np.float32)[None], 3, axis=0)
    r = CenterCrop(n)(Resize(n, InterpolationMode.BICUBIC)(im)).convert("RGB")
    return np.asarray(r, dtype=np.float32).transpose(2, 0, 1)


def clip_transform(im, n):
    if im.mode == "I":
        x = torch.from_numpy(pil_resize_crop(im, n) / np.float32(255))
        return Normalize(CLIP_MEAN, CLIP_STD)(x).numpy()
    t = Compose([Resize(n, interpolation=InterpolationMode.BICUBIC), CenterCrop(n),
                 lambda image: image.convert("RGB"), ToTensor(), Normalize(CLIP_MEAN, CLIP_STD)])
    return t(im).numpy()


def chexzero_rgb(im):
    """cv2.imread(IMREAD_COLOR) + BGR2RGB: gray replicated, alpha dropped, palette expanded."""
    if im.mode == "I":
        return None
    return im.convert("RGB") if im.mode != "RGBA" else Image.fromarray(np.asarray(im)[..., :3], "RGB")


def chexzero_canvas(img, desired):
    # rajpurkarlab/CheXzero data_process.preprocess
    old = img.size
    ratio = float(desired) / max(old)
    new = tuple([int(x * ratio) for x in old])
    img = img.resize(new, Image.LANCZOS)  # ANTIALIAS is an alias of LANCZOS
    canvas = Image.new("L", (desired, desired))
    canvas.paste(img, ((desired - new[0]) // 2, (desired - new[1]) // 2))
    return np.asarray(canvas, dtype=np.float32)


def chexzero_out(canvas, out):
    x = torch.from_numpy(np.repeat(canvas[None], 3, axis=0).copy())
    t = Compose([Normalize((101.48761,) * 3, (83.43944,) * 3),
                 Resize(out, interpolation=InterpolationMode.BICUBIC)])
    y = t(x).numpy()
    assert np.array_equal(y[0], y[1]) and np.array_equal(y[0], y[2])
    return y[0]


def main():
    os.makedirs(OUT, exist_ok=True)
    names = make_inputs()
    for name in names:
        if name == "xray_small.png":
            continue
        im = Image.open(os.path.join(OUT, name))
        im.load()
        stem = name.replace(".", "_")
        save_planes(stem + ".decoded", planes(im))
        for n in (16, 24):
            save_planes(f"{stem}.pil_s{n}", pil_resize_crop(im, n))
        save_f32(stem + ".clip16.f32", clip_transform(im, 16))
        rgb = chexzero_rgb(im)
        if rgb is not None:
            canvas = chexzero_canvas(rgb, 32)
            save_u8(stem + ".canvas32.u8", canvas)
            save_f32(stem + ".chexzero32to16.f32", chexzero_out(canvas, 16))

    # building blocks: PIL Lanczos / bicubic on an 'L' plane, down and up
    g8 = Image.open(os.path.join(OUT, "gray8.png"))
    for (w, h) in ((20, 29), (41, 60), (37, 20)):
        save_u8(f"gray8_png.lanczos_{w}x{h}.u8", np.asarray(g8.resize((w, h), Image.LANCZOS)))
        save_u8(f"gray8_png.bicubic_{w}x{h}.u8", np.asarray(g8.resize((w, h), Image.BICUBIC)))
    # torch interpolate bicubic (a=-0.75, align_corners=False) on a random float plane
    src = (rng.standard_normal((13, 17)) * 50).astype(np.float32)
    save_f32("torch_in_13x17.f32", src)
    for (h, w) in ((7, 9), (20, 31), (13, 5)):
        y = torch.nn.functional.interpolate(torch.from_numpy(src)[None, None], size=(h, w), mode="bicubic",
                                            align_corners=False)[0, 0].numpy()
        save_f32(f"torch_out_{h}x{w}.f32", y)

    # full-size pipelines on one small-content image, stored subsampled (every 7th row/column) + mean
    xs = Image.open(os.path.join(OUT, "xray_small.png"))
    canvas = chexzero_canvas(xs.convert("RGB"), 320)
    out = chexzero_out(canvas, 224)
    save_u8("xray_small_png.canvas320_s7.u8", canvas[::7, ::7])
    save_f32("xray_small_png.chexzero224_s7.f32", out[::7, ::7])
    c224 = clip_transform(xs, 224)
    save_f32("xray_small_png.clip224_s7.f32", c224[:, ::7, ::7])
    with open(os.path.join(OUT, "xray_small_png.means.txt"), "w") as f:
        f.write("# mean of the full chexzero 224x224 plane, then of each CLIP 224 channel (float64)\n")
        f.write(" ".join(repr(float(v)) for v in [out.astype(np.float64).mean()]
                         + [c224[c].astype(np.float64).mean() for c in range(3)]) + "\n")


if __name__ == "__main__":
    main()
