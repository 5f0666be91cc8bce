package org.cxrclip.train.report;

import java.awt.image.BufferedImage;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A line chart of one or more named curves y(x), e.g. the step loss and the epoch means against the step. */
public final class CurveChart {
    private CurveChart() {}

    /** @param curves name → {xs, ys}; a curve with no finite point is left out (an empty chart gets a note in its title) */
    public static BufferedImage image(String title, String xLabel, String yLabel, Map<String, double[][]> curves, int width, int height) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setLegendVisible(curves.size() > 1);
        int drawn = 0;
        for (var e : curves.entrySet()) {
            double[][] xy = finite(e.getValue()[0], e.getValue()[1]);
            if (xy[0].length == 0) continue;
            chart.addSeries(e.getKey(), xy[0], xy[1]).setMarker(xy[0].length > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            drawn++;
        }
        if (drawn == 0) {
            chart.setTitle(title + " (no data yet)");
            chart.addSeries("none", new double[] {0}, new double[] {0}).setMarker(SeriesMarkers.NONE);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static double[][] finite(double[] x, double[] y) {
        int n = 0;
        for (int i = 0; i < x.length; i++) if (Double.isFinite(x[i]) && Double.isFinite(y[i])) n++;
        double[] fx = new double[n], fy = new double[n];
        for (int i = 0, k = 0; i < x.length; i++)
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                fx[k] = x[i];
                fy[k++] = y[i];
            }
        return new double[][] {fx, fy};
    }
}
