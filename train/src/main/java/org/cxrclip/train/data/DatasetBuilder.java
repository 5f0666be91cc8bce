package org.cxrclip.train.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The part every reader shares: applies the label subset, the uncertain policy, the frontal filter and the
 * file check to raw rows, and counts each dropped row with its reason, so one bad row never stops a load.
 * Readers give raw label values (1, 0, −1, NaN for blank) in the source's label order.
 */
final class DatasetBuilder {
    private final String source;
    private final LoadOptions options;
    private final List<String> sourceLabels;
    private final List<String> labels;
    private final int[] pick;
    private final List<Sample> samples = new ArrayList<>();
    private final LoadSummary.Drops drops = new LoadSummary.Drops();
    private int[] uncertainIgnored;

    DatasetBuilder(String source, List<String> sourceLabels, LoadOptions options) {
        this.source = source;
        this.options = options;
        this.sourceLabels = List.copyOf(sourceLabels);
        this.labels = options.labels() == null ? this.sourceLabels : options.labels();
        this.pick = new int[labels.size()];
        for (int k = 0; k < pick.length; k++) {
            pick[k] = this.sourceLabels.indexOf(labels.get(k));
            if (pick[k] < 0)
                throw new IllegalArgumentException(source + ": unknown label '" + labels.get(k) + "' (known: "
                        + String.join(", ", this.sourceLabels) + ")");
        }
        uncertainIgnored = new int[labels.size()];
    }

    List<String> labels() {
        return labels;
    }

    void note(String what) {
        drops.note(what);
    }

    void drop(String reason, String where) {
        drops.add(reason, where);
    }

    /** Adds a row unless a filter drops it (then false); {@code where} (file:line) names it in the summary. */
    boolean add(int row, Path image, String patientId, String studyId, String view, String text, String split,
            float[] rawLabels, String where, String... moreViews) {
        if (options.frontalOnly()) {
            String[] all = new String[moreViews.length + 1];
            all[0] = view;
            System.arraycopy(moreViews, 0, all, 1, moreViews.length);
            switch (Views.classify(all)) {
                case LATERAL -> { drop("lateral view (frontal-only)", where); return false; }
                case UNKNOWN -> { drop("no or unknown view (frontal-only)", where); return false; }
                case FRONTAL -> { }
            }
        }
        if (options.checkFiles() && !Files.isRegularFile(image)) {
            drop("image file missing", where + " " + image);
            return false;
        }
        float[] y = new float[pick.length];
        for (int k = 0; k < pick.length; k++) {
            y[k] = options.uncertain().apply(rawLabels[pick[k]]);
            if (Float.isNaN(y[k])) uncertainIgnored[k]++;
        }
        samples.add(new Sample(row, image, patientId == null || patientId.isEmpty() ? null : patientId, studyId,
                view, text, split, y));
        return true;
    }

    Dataset build() {
        Set<String> patients = new HashSet<>();
        int[] positives = new int[labels.size()];
        for (Sample s : samples) {
            patients.add(s.patientId() != null ? s.patientId() : s.image().toString());
            for (int k = 0; k < positives.length; k++) if (s.positive(k)) positives[k]++;
        }
        LoadSummary summary = new LoadSummary(source, samples.size(), patients.size(), labels, positives,
                uncertainIgnored, drops.counts, drops.examples, drops.notes);
        if (options.log() != null) options.log().print(summary.format());
        return new Dataset(labels, samples, summary);
    }
}
