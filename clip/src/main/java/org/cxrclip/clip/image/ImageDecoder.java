package org.cxrclip.clip.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.cxrclip.clip.image.DecodedImage.Layout;

/**
 * Reads PNG and JPEG files (javax.imageio) into {@link DecodedImage} float planes, classifying each file
 * into the mode PIL's {@code Image.open} would give it, so the transforms can resize it the way PIL does.
 *
 * <p>PNG layouts follow PIL's PngImagePlugin table: gray 1-bit → '1'; gray 2/4/8-bit → 'L' (low depths
 * scaled to 0..255); palette → 'P'; gray+alpha → 'LA'; RGB → 'RGB'; RGBA → 'RGBA'; 16-bit colour samples
 * keep their high byte, as PIL's raw modes RGB;16B / RGBA;16B / LA;16B do. A tRNS chunk on a gray or RGB
 * image is ignored, as PIL's convert('RGB') ignores it.
 *
 * <p>Deliberate deviation: PIL opens a 16-bit grayscale PNG as mode 'I' (0..65535) and its
 * {@code convert('RGB')} clips every value above 255, which turns a 16-bit X-ray into a white image.
 * We instead scale it to 0..255 (value·255/65535, kept fractional) and resize it in float, as PIL's 'F'
 * mode would; layout {@link Layout#GRAY16} marks such images.
 *
 * <p>Anything else (truncated data, a JPEG that ends early, other formats, CMYK JPEGs) is an
 * {@link ImageReadException} naming the file. So is a header whose size is not believable, checked before any
 * pixel memory is allocated: more than {@link #MAX_PIXELS} pixels, or more pixels than the file's bytes could code
 * (a PNG beyond deflate's best ratio, a JPEG with fewer than a quarter bit per 8×8 block); a few hundred bytes
 * claiming 8000×8000 pixels would otherwise make ImageIO allocate hundreds of megabytes before noticing the data
 * is missing.
 */
public final class ImageDecoder {
    /** 8192 × 8192: chest X-rays are at most about 4300 × 3500. */
    public static final long MAX_PIXELS = 1L << 26;
    /** Deflate cannot expand data by more than 1032:1. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    /** Huffman coding needs at least 1 bit per 8x8 block, so 8 blocks per byte; 32 leaves a wide margin. */
    private static final long MAX_JPEG_BLOCKS_PER_BYTE = 32;

    private ImageDecoder() {
    }

    /** Decodes {@code file}; throws {@link ImageReadException} naming it when that is impossible. */
    public static DecodedImage read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImageReadException(file, "cannot read file (" + e + ")", e);
        }
        return decode(bytes, file);
    }

    /** Decodes an in-memory PNG or JPEG; {@code source} names it in errors. */
    public static DecodedImage decode(byte[] bytes, Path source) {
        if (bytes.length == 0) {
            throw new ImageReadException(source, "empty file", null);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageReadException(source, "not a PNG or JPEG file (starts with bytes "
                        + leadingHex(bytes) + ")", null);
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toLowerCase(Locale.ROOT);
            boolean png = format.equals("png");
            if (!png && !format.equals("jpeg") && !format.equals("jpg")) {
                throw new ImageReadException(source, "unsupported image format '" + format
                        + "' (only PNG and JPEG are read)", null);
            }
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((IIOReadWarningListener) (r, w) -> warnings.add(w));
            try {
                reader.setInput(in, true, false);
                IIOMetadata pngMetadata = png ? reader.getImageMetadata(0) : null;
                checkSize(reader.getWidth(0), reader.getHeight(0), pngMetadata, bytes.length, source);
                BufferedImage image = reader.read(0);
                // libjpeg only warns on a JPEG that ends early and fills the rest grey; PIL raises instead.
                for (String w : warnings) {
                    String lw = w.toLowerCase(Locale.ROOT);
                    if (lw.contains("premature end") || lw.contains("truncat")) {
                        throw new ImageReadException(source, "truncated " + format + " (" + w + ")", null);
                    }
                }
                return png ? fromPng(image, pngMetadata, source) : fromJpeg(image, source);
            } finally {
                reader.dispose();
            }
        } catch (ImageReadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageReadException(source, "corrupt or unreadable image (" + e + ")", e);
        }
    }

    /** Refuses a size no real file has, or (PNG) one its bytes cannot hold, before ImageIO allocates the raster. */
    private static void checkSize(int width, int height, IIOMetadata pngMetadata, long fileBytes, Path source) {
        long pixels = (long) width * height;
        if (width <= 0 || height <= 0 || pixels > MAX_PIXELS) {
            throw new ImageReadException(source, "header claims " + width + "x" + height + " pixels; accepted are 1 to "
                    + MAX_PIXELS + " pixels (corrupt header?)", null);
        }
        if (pngMetadata == null) {
            // A Huffman-coded JPEG spends at least one bit on every 8x8 block of its first component; allow 4x that.
            long blocks = ((width + 7L) / 8) * ((height + 7L) / 8);
            if (blocks > MAX_JPEG_BLOCKS_PER_BYTE * fileBytes) {
                throw new ImageReadException(source, "header claims " + width + "x" + height + " pixels (" + blocks
                        + " blocks of 8x8) but the file has only " + fileBytes + " bytes, too few to code them"
                        + " (truncated file or corrupt header)", null);
            }
            return;
        }
        IIOMetadataNode ihdr = ihdr(pngMetadata);
        int bitsPerPixel = Integer.parseInt(ihdr.getAttribute("bitDepth")) * switch (ihdr.getAttribute("colorType")) {
            case "RGB" -> 3;
            case "GrayAlpha" -> 2;
            case "RGBAlpha" -> 4;
            default -> 1;
        };
        long rawBytes = height * (1 + ((long) width * bitsPerPixel + 7) / 8);
        if (rawBytes > MAX_DEFLATE_RATIO * fileBytes) {
            throw new ImageReadException(source, "header claims " + width + "x" + height + " pixels (" + rawBytes
                    + " bytes of pixel data) but the file has only " + fileBytes + " bytes, more than deflate can expand"
                    + " (truncated file or corrupt header)", null);
        }
    }

    private static IIOMetadataNode ihdr(IIOMetadata metadata) {
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree("javax_imageio_png_1.0");
        return (IIOMetadataNode) root.getElementsByTagName("IHDR").item(0);
    }

    private static DecodedImage fromJpeg(BufferedImage image, Path source) {
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        if (bands == 1) {
            return new DecodedImage(source, image.getWidth(), image.getHeight(), Layout.L, bandPlanes(raster, 1, 0));
        }
        if (bands == 3 && image.getColorModel().getColorSpace().isCS_sRGB()) {
            return new DecodedImage(source, image.getWidth(), image.getHeight(), Layout.RGB, bandPlanes(raster, 3, 0));
        }
        throw new ImageReadException(source, "unsupported JPEG colour layout (" + bands + " bands, "
                + image.getColorModel().getColorSpace().getType() + ")", null);
    }

    private static DecodedImage fromPng(BufferedImage image, IIOMetadata metadata, Path source) {
        IIOMetadataNode ihdr = ihdr(metadata);
        int bitDepth = Integer.parseInt(ihdr.getAttribute("bitDepth"));
        String colorType = ihdr.getAttribute("colorType");
        Raster raster = image.getRaster();
        int w = image.getWidth();
        int h = image.getHeight();
        int highByteShift = bitDepth == 16 ? 8 : 0;
        return switch (colorType) {
            case "Palette" -> new DecodedImage(source, w, h, Layout.PALETTE, paletteToRgb(raster, image.getColorModel(), source));
            case "Grayscale" -> switch (bitDepth) {
                case 16 -> new DecodedImage(source, w, h, Layout.GRAY16, new float[][] {gray16(raster)});
                case 8 -> new DecodedImage(source, w, h, Layout.L, bandPlanes(raster, 1, 0));
                default -> new DecodedImage(source, w, h, bitDepth == 1 ? Layout.BILEVEL : Layout.L,
                        new float[][] {scaledLowDepth(raster, bitDepth)});
            };
            case "GrayAlpha" -> new DecodedImage(source, w, h, Layout.LA, bandPlanes(raster, 2, highByteShift));
            case "RGB" -> new DecodedImage(source, w, h, Layout.RGB, bandPlanes(raster, 3, highByteShift));
            case "RGBAlpha" -> new DecodedImage(source, w, h, Layout.RGBA, bandPlanes(raster, 4, highByteShift));
            default -> throw new ImageReadException(source, "unsupported PNG colour type " + colorType, null);
        };
    }

    /** The first {@code count} raster bands (ImageIO orders them R, G, B, A), each right-shifted. */
    private static float[][] bandPlanes(Raster raster, int count, int shift) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        if (raster.getNumBands() < count) {
            throw new IllegalStateException("raster has " + raster.getNumBands() + " bands, expected " + count);
        }
        float[][] planes = new float[count][w * h];
        int[] row = new int[w];
        for (int c = 0; c < count; c++) {
            float[] p = planes[c];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, c, row);
                for (int x = 0; x < w; x++) {
                    p[y * w + x] = row[x] >> shift;
                }
            }
        }
        return planes;
    }

    private static float[] gray16(Raster raster) {
        float[] p = bandPlanes(raster, 1, 0)[0];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (p[i] * 255.0 / 65535.0);
        }
        return p;
    }

    private static float[] scaledLowDepth(Raster raster, int bitDepth) {
        float[] p = bandPlanes(raster, 1, 0)[0];
        int scale = 255 / ((1 << bitDepth) - 1);  // 255, 85, 17: PIL's 1, L;2, L;4 unpackers
        for (int i = 0; i < p.length; i++) {
            p[i] *= scale;
        }
        return p;
    }

    private static float[][] paletteToRgb(Raster raster, ColorModel model, Path source) {
        if (!(model instanceof IndexColorModel palette)) {
            throw new ImageReadException(source, "palette PNG decoded without a palette", null);
        }
        float[] index = bandPlanes(raster, 1, 0)[0];
        float[][] rgb = new float[3][index.length];
        for (int i = 0; i < index.length; i++) {
            int k = (int) index[i];
            rgb[0][i] = palette.getRed(k);
            rgb[1][i] = palette.getGreen(k);
            rgb[2][i] = palette.getBlue(k);
        }
        return rgb;
    }

    private static String leadingHex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            sb.append(String.format("%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }
}
