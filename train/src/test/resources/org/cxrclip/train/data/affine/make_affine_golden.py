"""Golden outputs for RandomAffine.warp: Pillow 9.4's Image.transform(AFFINE) with torchvision's inverse affine
matrix (torchvision.transforms.functional._get_inverse_affine_matrix, zero shear, centre (w/2, h/2)), on a
32x24 test image. Run with Debian's /usr/bin/python3 (python3-pil). Output: affine_golden.txt, one case per
line: "interp angle tx ty scale : v0 v1 ... " (row-major output pixels)."""
import math
from PIL import Image

W, H = 32, 24
src = [((x * 7 + y * 13) % 251) for y in range(H) for x in range(W)]

def inverse_matrix(angle, tx, ty, scale):
    rot = math.radians(angle)
    cx, cy = W * 0.5, H * 0.5
    a, b, c, d = math.cos(rot), -math.sin(rot), math.sin(rot), math.cos(rot)
    m = [d, -b, 0.0, -c, a, 0.0]
    m = [v / scale for v in m]
    m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty)
    m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty)
    m[2] += cx
    m[5] += cy
    return m

cases = [(0, 0, 0, 1.0), (90, 0, 0, 1.0), (-30, 3, -2, 1.0), (45, -4, 4, 0.9), (17.5, 2, 1, 1.1), (-44.9, 0, 0, 1.05)]
with open("affine_golden.txt", "w") as f:
    for interp, mode, filt in [("NEAREST", "L", Image.NEAREST), ("BILINEAR", "F", Image.BILINEAR)]:
        img = Image.new(mode, (W, H))
        img.putdata(src)
        for angle, tx, ty, scale in cases:
            out = img.transform((W, H), Image.AFFINE, inverse_matrix(angle, tx, ty, scale), filt, fillcolor=0)
            vals = " ".join(repr(float(v)) for v in out.getdata())
            f.write(f"{interp} {angle} {tx} {ty} {scale} : {vals}\n")
