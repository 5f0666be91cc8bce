package org.cxrclip.train.generate;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PNG output of generated images: one grey image, or a grid with each image's text written under it. Pixel
 * values are clamped to [0, 1] and rounded to 8 bits. Files are written atomically (temp file in the target
 * directory, fsync, rename), so an existing file is either kept or fully replaced.
 */
public final class GeneratedImages {
    /** Grid cells are at least this wide so that captions stay readable for small models. */
    static final int MIN_CELL = 160;
    static final int COLUMNS = 4;

    private GeneratedImages() {}

    /** A grey image (size × size) from row-major values in [0, 1]. */
    public static BufferedImage grey(float[] pixels, int size) {
        if (pixels.length != size * size)
            throw new IllegalArgumentException(pixels.length + " pixel values for a " + size + "x" + size + " image");
        BufferedImage im = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((java.awt.image.DataBufferByte) im.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i++) {
            float v = Float.isNaN(pixels[i]) ? 0f : Math.max(0f, Math.min(1f, pixels[i]));
            data[i] = (byte) Math.round(v * 255f);
        }
        return im;
    }

    /** Images with their captions in a grid of up to 4 columns; each image scaled up to fill a cell of ≥ 160 px. */
    public static BufferedImage grid(List<BufferedImage> images, List<String> captions) {
        if (images.isEmpty() || images.size() != captions.size())
            throw new IllegalArgumentException(images.size() + " images for " + captions.size() + " captions");
        System.setProperty("java.awt.headless", "true");
        int size = images.get(0).getWidth();
        int scale = Math.max(1, (MIN_CELL + size - 1) / size), cell = size * scale, pad = 8;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        List<List<String>> wrapped = new ArrayList<>();
        int lines = 1;
        for (String c : captions) {
            List<String> w = wrap(c, fm, cell);
            wrapped.add(w);
            lines = Math.max(lines, w.size());
        }
        pg.dispose();
        int cols = Math.min(COLUMNS, images.size()), rows = (images.size() + cols - 1) / cols;
        int cellH = cell + pad + lines * fm.getHeight();
        BufferedImage out = new BufferedImage(cols * (cell + pad) + pad, rows * (cellH + pad) + pad, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        g.setColor(Color.BLACK);
        for (int k = 0; k < images.size(); k++) {
            int x = pad + (k % cols) * (cell + pad), y = pad + (k / cols) * (cellH + pad);
            g.drawImage(images.get(k), x, y, cell, cell, null); // nearest-neighbour upscaling keeps the pixels visible
            int ty = y + cell + pad + fm.getAscent();
            for (String line : wrapped.get(k)) {
                g.drawString(line, x, ty);
                ty += fm.getHeight();
            }
        }
        g.dispose();
        return out;
    }

    /** Greedy word wrap to a pixel width; a word longer than the width is cut. */
    static List<String> wrap(String text, FontMetrics fm, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (fm.stringWidth(candidate) <= width) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (!line.isEmpty()) out.add(line.toString());
            line.setLength(0);
            String w = word;
            while (fm.stringWidth(w) > width && w.length() > 1) w = w.substring(0, w.length() - 1);
            line.append(w);
        }
        if (!line.isEmpty()) out.add(line.toString());
        return out;
    }

    /** Writes a PNG atomically: temp file beside the target, fsync, rename over the target. */
    public static void writePng(BufferedImage image, Path png) throws IOException {
        org.cxrclip.train.report.AtomicFiles.writePng(png, image);
    }
}
