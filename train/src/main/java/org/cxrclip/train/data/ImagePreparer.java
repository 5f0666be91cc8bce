package org.cxrclip.train.data;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.cxrclip.clip.image.DecodedImage;
import org.cxrclip.clip.image.ImageDecoder;
import org.cxrclip.clip.image.PilImage;
import org.cxrclip.clip.image.PilResample;

/**
 * Shrinks an image once, before training, so the data loader decodes a 256-px PNG instead of a 2500×3000
 * JPEG every epoch. Both papers pre-shrank: the thesis to width 256 (LANCZOS, aspect kept), CheXzero to 320 on
 * the longer side (then padded square). Default here: the shorter side to {@code size} with PIL's LANCZOS,
 * aspect kept (other side int(size·long/short + ½)), so CLIP's later resize of the shorter side to 224 and
 * centre crop see the whole lung field, as with the thesis' portrait images. Images already at or below the
 * size are re-encoded, not enlarged. Output: 8-bit PNG, gray when the source is gray (16-bit gray rounded
 * to 8 bits), RGB when it is colour (alpha dropped).
 *
 * <p>Resumable: the image is written to a hidden temp name in the target folder and renamed atomically, so an
 * existing output is always complete and is reused.
 */
public final class ImagePreparer {
    /** Which side gets {@code size}. */
    public enum Side { SHORTER, LONGER, WIDTH }

    private final int size;
    private final Side side;

    public ImagePreparer(int size, Side side) {
        if (size < 8) throw new IllegalArgumentException("prepared image size must be >= 8, got " + size);
        this.size = size;
        this.side = side;
    }

    /** The output size (w, h) for a w×h source. */
    public int[] targetSize(int w, int h) {
        int ref = switch (side) {
            case SHORTER -> Math.min(w, h);
            case LONGER -> Math.max(w, h);
            case WIDTH -> w;
        };
        if (ref <= size) return new int[] {w, h};
        double f = (double) size / ref;
        return new int[] {Math.max(1, (int) (w * f + 0.5)), Math.max(1, (int) (h * f + 0.5))};
    }

    /**
     * Writes the shrunk {@code src} to {@code dst} unless {@code dst} exists; returns true when it wrote.
     * Throws ImageReadException (naming the file) when {@code src} cannot be decoded.
     */
    public boolean prepare(Path src, Path dst) throws IOException {
        if (Files.isRegularFile(dst)) return false;
        DecodedImage img = ImageDecoder.read(src);
        int[] wh = targetSize(img.width(), img.height());
        DecodedImage small = PilImage.resize(img, wh[0], wh[1], PilResample.Filter.LANCZOS);
        BufferedImage out = toBufferedImage(small);
        Files.createDirectories(dst.toAbsolutePath().getParent());
        // Temp file + rename without fsync: a prepared copy is never seen half-written, and one lost in a power
        // cut is prepared again on the next run (one fsync per image would cost more than resizing it).
        Path tmp = dst.resolveSibling("." + dst.getFileName() + ".part-" + ProcessHandle.current().pid()
                + "-" + Thread.currentThread().threadId());
        try {
            try (OutputStream os = Files.newOutputStream(tmp)) {
                if (!ImageIO.write(out, "png", os)) throw new IOException(dst + ": no PNG writer");
            }
            Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return true;
    }

    private static BufferedImage toBufferedImage(DecodedImage img) {
        int w = img.width(), h = img.height();
        boolean gray = img.layout().channels() < 3;
        BufferedImage out = new BufferedImage(w, h, gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster r = out.getRaster();
        float[][] planes = gray ? new float[][] {img.plane(0)} : PilImage.toRgb(img);
        int[] row = new int[w];
        for (int c = 0; c < planes.length; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) row[x] = Math.max(0, Math.min(255, Math.round(planes[c][y * w + x])));
                r.setSamples(0, y, w, 1, c, row);
            }
        }
        return out;
    }

    /**
     * Where the prepared copy of {@code image} goes: its path relative to {@code sourceDir} (".." segments
     * become "__" so nothing escapes {@code outDir}; images outside sourceDir keep their absolute path's
     * segments), extension replaced by .png.
     */
    public static Path outputPath(Path outDir, Path sourceDir, Path image) {
        Path abs = image.toAbsolutePath().normalize(), base = sourceDir.toAbsolutePath().normalize();
        Path rel = abs.startsWith(base) ? base.relativize(abs) : abs.getRoot() == null ? abs : abs.getRoot().relativize(abs);
        Path out = outDir;
        for (int i = 0; i < rel.getNameCount(); i++) {
            String s = rel.getName(i).toString();
            out = out.resolve(s.equals("..") ? "__" : s);
        }
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot).toLowerCase(Locale.ROOT) : "";
        // a.jpg and a.png side by side would collide: keep the old extension in the name unless it was .png
        return out.resolveSibling(ext.equals(".png") ? name : stem + ext.replace('.', '_') + ".png");
    }
}
