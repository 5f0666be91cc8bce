package org.cxrclip.clip.image;

import org.cxrclip.clip.image.DecodedImage.Layout;

/**
 * CheXzero's preprocessing (rajpurkarlab/CheXzero {@code data_process.preprocess} then {@code train.py}):
 * the image as cv2 reads it (gray replicated, alpha dropped, palette expanded) is resized so its longer
 * side is {@code canvas} (each side int(side·canvas/longer), PIL Lanczos, per RGB channel in 8 bits),
 * converted to 'L' (PIL luma) and pasted centred on a black canvas×canvas 'L' image; that 0..255 canvas
 * is repeated to 3 channels, normalised with mean 101.48761 and std 83.43944, THEN resized to
 * size×size with torch bicubic (a = −0.75, align_corners=False, no antialias).
 *
 * <p>16-bit grayscale files (layout GRAY16) are resized in float after scaling to 0..255, where cv2
 * would keep their high byte; see {@link ImageDecoder}.
 */
public final class CheXzeroTransform implements ImageTransform {
    /** CheXzero's normalisation constants on the 0..255 scale. */
    public static final float MEAN = 101.48761f;
    public static final float STD = 83.43944f;

    private final int canvas;
    private final int size;

    /** CheXzero's own sizes: canvas 320, encoder input 224. */
    public CheXzeroTransform() {
        this(320, 224);
    }

    public CheXzeroTransform(int canvas, int size) {
        if (canvas <= 0 || size <= 0) {
            throw new IllegalArgumentException("canvas and size must be positive, got " + canvas + " and " + size);
        }
        this.canvas = canvas;
        this.size = size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void applyInto(DecodedImage image, float[] dst, int offset) {
        int plane = size * size;
        if (offset < 0 || offset + 3 * plane > dst.length) {
            throw new IllegalArgumentException("output of " + 3 * plane + " values at offset " + offset
                    + " does not fit an array of " + dst.length);
        }
        float[] x = canvas(image);
        for (int i = 0; i < x.length; i++) {
            x[i] = (x[i] - MEAN) / STD;
        }
        float[] y = canvas == size ? x : TorchResize.bicubic(x, canvas, canvas, size, size);
        for (int c = 0; c < 3; c++) {
            System.arraycopy(y, 0, dst, offset + c * plane, plane);
        }
    }

    /** The (canvas, canvas) 'L' image of {@code preprocess}, values 0..255, what CheXzero stores in HDF5. */
    public float[] canvas(DecodedImage image) {
        DecodedImage asRead = asCv2Reads(image);
        int w = asRead.width();
        int h = asRead.height();
        double ratio = (double) canvas / Math.max(w, h);
        int newW = Math.max((int) (w * ratio), 1);
        int newH = Math.max((int) (h * ratio), 1);
        float[] luma = PilImage.toLuma(PilImage.resize(asRead, newW, newH, PilResample.Filter.LANCZOS));
        float[] out = new float[canvas * canvas];
        int left = (canvas - newW) / 2;
        int top = (canvas - newH) / 2;
        for (int y = 0; y < newH; y++) {
            System.arraycopy(luma, y * newW, out, (top + y) * canvas + left, newW);
        }
        return out;
    }

    // cv2.imread(IMREAD_COLOR) + BGR2RGB: what PIL receives in CheXzero; gray stays one plane (identical
    // channels resize identically and L24 maps gray to itself)
    private static DecodedImage asCv2Reads(DecodedImage image) {
        float[][] p = image.planes();
        return switch (image.layout()) {
            case L, GRAY16, RGB -> image;
            case BILEVEL, LA -> new DecodedImage(image.source(), image.width(), image.height(), Layout.L,
                    new float[][] {p[0]});
            case RGBA, PALETTE -> new DecodedImage(image.source(), image.width(), image.height(), Layout.RGB,
                    new float[][] {p[0], p[1], p[2]});
        };
    }
}
