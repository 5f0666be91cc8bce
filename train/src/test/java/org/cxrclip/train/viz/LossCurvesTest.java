package org.cxrclip.train.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCurvesTest {
    private static final double[] FALLING = {3.4, 2.0, 1.2, 0.9};

    /** Curve "a" falling as {@link #FALLING}, curve "b" flat at 3.4, over x = 0..3, as a 400 × 300 PNG read back. */
    private static BufferedImage fallingAndFlat(Path png) throws Exception {
        double[] x = {0, 1, 2, 3}, flat = {3.4, 3.4, 3.4, 3.4};
        LossCurves.write(png, "loss", "step", "loss", List.of(new LossCurves.Curve("a", x, FALLING), new LossCurves.Curve("b", x, flat)),
                400, 300);
        return ImageIO.read(png.toFile());
    }

    @Test
    void writesAPngOfTheRequestedSizeWithTheCurvesDrawn(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("plots/loss.png");
        BufferedImage img = fallingAndFlat(png);
        assertEquals(400, img.getWidth());
        assertEquals(300, img.getHeight());
        // Lines are coloured: a plain white/grey chart would have no saturated pixel.
        int coloured = 0;
        for (int y = 0; y < img.getHeight(); y++)
            for (int xx = 0; xx < img.getWidth(); xx++) {
                int rgb = img.getRGB(xx, y), r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) coloured++;
            }
        assertTrue(coloured > 100, "only " + coloured + " coloured pixels");
        try (var s = Files.list(png.getParent())) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    /**
     * Reads the two lines back from the pixels: a flat line at 3.4 and a line falling from 3.4 through 2.0 and
     * 1.2 to 0.9 over x = 0..3. The y axis is linear, so with the flat line giving the pixel row of 3.4 and the
     * last point the scale, the rows at x = 1 and x = 2 are predicted from the data alone.
     */
    @Test
    void thePlottedLinesFollowTheData(@TempDir Path dir) throws Exception {
        BufferedImage img = fallingAndFlat(dir.resolve("loss.png"));
        // XChart's default palette: the first series blue, the second orange.
        double[] a = plotLineRows(img, true), b = plotLineRows(img, false);
        int left = first(a), right = last(a);
        assertEquals(left, first(b), 2, "both lines start at x = 0");
        assertEquals(right, last(b), 2, "both lines end at x = 3");
        assertTrue(right - left > 150, "the lines span the plot: columns " + left + ".." + right);
        double top = b[(left + right) / 2];
        for (int c = first(b); c <= last(b); c++)
            if (!Double.isNaN(b[c])) assertEquals(top, b[c], 1.5, "flat line at column " + c);
        // Tolerance 4 px here and below: the lines are about 3 px thick and the falling one drops ~1.5 px per
        // column, which moves a column's median row off the exact point by a few pixels.
        assertEquals(top, a[left], 4, "both lines start at 3.4");
        double pxPerUnit = (a[right] - top) / (3.4 - 0.9);
        assertTrue(pxPerUnit > 40, "falling line ends " + (a[right] - top) + " px below the flat one");
        for (int k = 1; k <= 2; k++) {
            int col = (int) Math.round(left + k * (right - left) / 3.0);
            assertEquals(top + (3.4 - FALLING[k]) * pxPerUnit, a[col], 4, "row of the falling line at x = " + k);
        }
    }

    /**
     * Per column, the median row of the blue (or orange) pixels of the plot line; NaN where there are none. The
     * legend's swatches lie right of the plot, after a gap of columns without that colour, and are left out.
     */
    private static double[] plotLineRows(BufferedImage img, boolean blue) {
        double[] rows = new double[img.getWidth()];
        java.util.Arrays.fill(rows, Double.NaN);
        boolean started = false;
        for (int c = 0; c < img.getWidth(); c++) {
            List<Integer> hits = new java.util.ArrayList<>();
            for (int y = 0; y < img.getHeight(); y++) {
                int rgb = img.getRGB(c, y), r = (rgb >> 16) & 255, bl = rgb & 255;
                if (blue ? bl - r > 80 : r - bl > 80) hits.add(y);
            }
            if (hits.isEmpty()) {
                if (started) break;
                continue;
            }
            started = true;
            rows[c] = hits.get(hits.size() / 2);
        }
        return rows;
    }

    private static int first(double[] rows) {
        for (int c = 0; c < rows.length; c++) if (!Double.isNaN(rows[c])) return c;
        throw new AssertionError("no line of that colour");
    }

    private static int last(double[] rows) {
        int c = first(rows);
        while (c + 1 < rows.length && !Double.isNaN(rows[c + 1])) c++;
        return c;
    }

    @Test
    void mismatchedLengthsAndNoCurvesAreErrors(@TempDir Path dir) {
        var e = assertThrows(IllegalArgumentException.class, () -> new LossCurves.Curve("c", new double[2], new double[3]));
        assertEquals("curve 'c': 2 x for 3 y", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LossCurves.write(dir.resolve("a.png"), "t", "x", "y", List.of(), 10, 10));
    }
}
