package org.cxrclip.train.viz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Training curves as one PNG: one line per run (loss against step), e.g. the methods of a benchmark trained
 * from the same initialisation. Rendered headless with XChart and written atomically.
 */
public final class LossCurves {
    private LossCurves() {}

    /** One line: a name, x values (steps) and y values (losses) of equal length. */
    public record Curve(String name, double[] x, double[] y) {
        public Curve {
            if (x.length != y.length) throw new IllegalArgumentException("curve '" + name + "': " + x.length + " x for " + y.length + " y");
        }
    }

    public static void write(Path png, String title, String xLabel, String yLabel, List<Curve> curves, int width, int height)
            throws IOException {
        if (curves.isEmpty()) throw new IllegalArgumentException("loss curves: nothing to draw");
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setLegendVisible(true);
        for (Curve c : curves) {
            if (c.x().length == 0) continue;
            chart.addSeries(c.name(), c.x(), c.y()).setMarker(SeriesMarkers.NONE);
        }
        org.cxrclip.train.report.AtomicFiles.writePng(png, BitmapEncoder.getBufferedImage(chart));
    }
}
