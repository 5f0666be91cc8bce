package org.cxrclip.train.report;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.cxrclip.train.metrics.RocCurve;
import org.cxrclip.train.metrics.ScoredLabels;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** ROC curves of a few labels in one chart, with the chance diagonal and each label's AUC in the legend. */
public final class RocChart {
    private RocChart() {}

    /**
     * The labels worth a ROC curve: among those with both classes, the {@code each} most and the {@code each}
     * least prevalent in the scored set (fewer when there are not enough), most prevalent first.
     */
    public static List<Integer> chosenLabels(ScoredLabels s, int each) {
        List<Integer> ok = new ArrayList<>();
        for (int j = 0; j < s.labels().size(); j++) {
            int p = s.positives(j);
            int known = 0;
            for (float y : s.truthColumn(j)) if (!Float.isNaN(y)) known++;
            if (p > 0 && p < known) ok.add(j);
        }
        ok.sort(Comparator.comparingInt((Integer j) -> -s.positives(j)).thenComparing(j -> j));
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < Math.min(each, ok.size()); i++) out.add(ok.get(i));
        for (int i = Math.max(each, ok.size() - each); i < ok.size(); i++) out.add(ok.get(i));
        return out;
    }

    public static BufferedImage image(ScoredLabels s, List<Integer> labels, String title) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(760).height(560).title(title).xAxisTitle("false positive rate")
                .yAxisTitle("true positive rate").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1}).setMarker(SeriesMarkers.NONE);
        for (int j : labels) {
            RocCurve c = RocCurve.of(s.scoreColumn(j), s.truthColumn(j));
            String name = String.format(java.util.Locale.ROOT, "%s (%d pos, AUC %.3f)", s.labels().get(j), s.positives(j), c.area());
            chart.addSeries(name, c.fpr(), c.tpr()).setMarker(SeriesMarkers.NONE);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }
}
