package org.cxrclip.train.report;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.cxrclip.train.metrics.AucSummary;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Per-class ROC-AUC as bars, base labels first then rare ones, each group its own colour (two overlapped series,
 * each zero outside its group), with the macro of each group in the legend. Labels without both classes in the
 * scored set (AUC undefined) are left out and counted in the title.
 */
public final class AucBarChart {
    private AucBarChart() {}

    public static BufferedImage image(AucSummary s, String title) {
        System.setProperty("java.awt.headless", "true");
        List<String> names = new ArrayList<>();
        List<Double> base = new ArrayList<>(), rare = new ArrayList<>();
        int undefined = 0;
        for (double v : s.perClass()) if (Double.isNaN(v)) undefined++;
        for (int pass = 0; pass < 2; pass++)
            for (int j = 0; j < s.labels().size(); j++) {
                if (s.rareClass()[j] != (pass == 1) || Double.isNaN(s.perClass()[j])) continue;
                names.add(s.labels().get(j));
                base.add(pass == 0 ? s.perClass()[j] : 0.0);
                rare.add(pass == 1 ? s.perClass()[j] : 0.0);
            }
        int width = Math.max(640, 40 * names.size() + 200);
        CategoryChart chart = new CategoryChartBuilder().width(width).height(480)
                .title(title + (undefined > 0 ? " (" + undefined + " labels without both classes left out)" : ""))
                .xAxisTitle("label").yAxisTitle("ROC-AUC").build();
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisLabelRotation(60);
        if (names.isEmpty()) {
            names.add("(none)");
            base.add(0.0);
            rare.add(0.0);
        }
        chart.addSeries("base, macro " + fmt(s.base().auc()) + " (" + s.base().classes() + ")", names, base);
        chart.addSeries("rare, macro " + fmt(s.rare().auc()) + " (" + s.rare().classes() + ")", names, rare);
        return BitmapEncoder.getBufferedImage(chart);
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}
