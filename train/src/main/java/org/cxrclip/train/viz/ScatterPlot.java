package org.cxrclip.train.viz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * 2-D maps of embeddings as PNG: one scatter panel per map, points coloured by a class name with a legend; two
 * maps (e.g. baseline and CXR-CML) are drawn side by side. Rendered headless with XChart.
 */
public final class ScatterPlot {
    private ScatterPlot() {}

    /** One panel: 2-D points (n, 2) row-major, a class name per point, and a title. */
    public record Panel(String title, double[] points, List<String> classes) {}

    public static void write(Path png, List<Panel> panels, int panelSize) throws IOException {
        if (panels.isEmpty()) throw new IllegalArgumentException("scatter plot: nothing to draw");
        System.setProperty("java.awt.headless", "true");
        List<java.awt.image.BufferedImage> images = new ArrayList<>();
        for (Panel p : panels) {
            XYChart chart = new XYChartBuilder().width(panelSize).height(panelSize).title(p.title()).build();
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            chart.getStyler().setMarkerSize(4);
            chart.getStyler().setLegendVisible(true);
            chart.getStyler().setAxisTicksVisible(false);
            Map<String, List<double[]>> byClass = new LinkedHashMap<>();
            for (int i = 0; i < p.classes().size(); i++)
                byClass.computeIfAbsent(p.classes().get(i), k -> new ArrayList<>())
                        .add(new double[] {p.points()[2 * i], p.points()[2 * i + 1]});
            for (var e : byClass.entrySet()) {
                double[] xs = new double[e.getValue().size()], ys = new double[xs.length];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = e.getValue().get(i)[0];
                    ys[i] = e.getValue().get(i)[1];
                }
                chart.addSeries(e.getKey() + " (" + xs.length + ")", xs, ys).setMarker(SeriesMarkers.CIRCLE);
            }
            images.add(BitmapEncoder.getBufferedImage(chart));
        }
        int w = 0, h = 0;
        for (var im : images) {
            w += im.getWidth();
            h = Math.max(h, im.getHeight());
        }
        java.awt.image.BufferedImage all = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = all.createGraphics();
        int x = 0;
        for (var im : images) {
            g.drawImage(im, x, 0, null);
            x += im.getWidth();
        }
        g.dispose();
        org.cxrclip.train.report.AtomicFiles.writePng(png, all);
    }
}
