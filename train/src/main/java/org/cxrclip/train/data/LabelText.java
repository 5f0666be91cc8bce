package org.cxrclip.train.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * CXR-CML's meta-label text: the positive labels of an image, each put in a template and joined, e.g.
 * "adenopathy is present, pleural effusion is present". Label names are lower-cased and '_' becomes ' '
 * (NIH writes Pleural_Thickening). Labels that mean "nothing found" (No Finding, Normal) are not listed; an
 * image with no other positive label gets {@code noFinding} ("no finding" by default). Uncertain (NaN)
 * labels are not positive.
 *
 * @param template a pattern with one "{}" for the label name
 * @param separator between the label phrases
 * @param noFinding the text of an image without positive labels
 */
public record LabelText(String template, String separator, String noFinding) {
    private static final Set<String> NOTHING_FOUND = Set.of("no finding", "normal");

    public LabelText {
        if (!template.contains("{}")) throw new IllegalArgumentException("label-text template '" + template + "' has no {}");
    }

    public static LabelText defaults() {
        return new LabelText("{} is present", ", ", "no finding");
    }

    public String text(float[] labels, List<String> names) {
        if (labels.length != names.size())
            throw new IllegalArgumentException(labels.length + " labels for " + names.size() + " label names");
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < labels.length; k++) {
            if (labels[k] != 1f) continue;
            String name = names.get(k).replace('_', ' ').strip().toLowerCase(Locale.ROOT);
            if (NOTHING_FOUND.contains(name)) continue;
            parts.add(template.replace("{}", name));
        }
        return parts.isEmpty() ? noFinding : String.join(separator, parts);
    }
}
