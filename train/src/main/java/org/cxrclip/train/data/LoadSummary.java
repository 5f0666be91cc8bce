package org.cxrclip.train.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reader loaded and what it dropped: images, patients, positives per label, and each drop reason with
 * its count and the first few places (file:line) so a user can look at them, and notes on rows kept with a
 * caveat (a missing report, merged duplicate rows). Printed on load.
 */
public record LoadSummary(String source, int images, int patients, List<String> labelNames, int[] positives,
        int[] uncertain, Map<String, Integer> dropped, Map<String, List<String>> examples, Map<String, Integer> notes) {

    static final int EXAMPLES_PER_REASON = 5;

    public int droppedTotal() {
        return dropped.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Several lines: totals, positives per label, drop reasons with examples. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s: %d images, %d patients, %d labels%n", source, images, patients, labelNames.size()));
        for (int k = 0; k < labelNames.size(); k++) {
            sb.append(String.format("  %-32s %7d positive", labelNames.get(k), positives[k]));
            if (uncertain[k] > 0) sb.append(String.format(", %d uncertain (ignored)", uncertain[k]));
            sb.append(System.lineSeparator());
        }
        if (dropped.isEmpty()) sb.append("  dropped: none").append(System.lineSeparator());
        for (Map.Entry<String, Integer> e : dropped.entrySet()) {
            sb.append(String.format("  dropped %d: %s", e.getValue(), e.getKey()));
            List<String> ex = examples.getOrDefault(e.getKey(), List.of());
            if (!ex.isEmpty()) sb.append(" (e.g. ").append(String.join("; ", ex)).append(e.getValue() > ex.size() ? "; …)" : ")");
            sb.append(System.lineSeparator());
        }
        for (Map.Entry<String, Integer> e : notes.entrySet())
            sb.append(String.format("  note %d: %s%n", e.getValue(), e.getKey()));
        return sb.toString();
    }

    /** Collects drop reasons in first-seen order. */
    static final class Drops {
        final Map<String, Integer> counts = new LinkedHashMap<>();
        final Map<String, List<String>> examples = new LinkedHashMap<>();
        final Map<String, Integer> notes = new LinkedHashMap<>();

        void note(String what) {
            notes.merge(what, 1, Integer::sum);
        }

        void add(String reason, String where) {
            counts.merge(reason, 1, Integer::sum);
            List<String> ex = examples.computeIfAbsent(reason, r -> new ArrayList<>());
            if (ex.size() < EXAMPLES_PER_REASON && where != null) ex.add(where);
        }
    }
}
