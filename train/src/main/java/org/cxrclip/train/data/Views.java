package org.cxrclip.train.data;

import java.util.Locale;
import java.util.Set;

/**
 * Frontal or lateral, from the view strings the data sets use: MIMIC's ViewPosition (AP, PA, LAO, RAO,
 * AP AXIAL, AP LLD, PA RLD, …; LATERAL, LL, XTABLE LATERAL, SWIMMERS), its ViewCodeSequence_CodeMeaning
 * ("postero-anterior", "antero-posterior", "lateral", "left lateral"), CheXpert's Frontal/Lateral column,
 * and the sample sets' "AP Supine". Anything unrecognised is UNKNOWN, never silently frontal.
 */
public final class Views {
    private Views() {}

    public enum Kind { FRONTAL, LATERAL, UNKNOWN }

    private static final Set<String> FRONTAL = Set.of("AP", "PA", "LAO", "RAO", "AP AXIAL", "PA LLD", "PA RLD", "AP LLD",
            "AP RLD", "FRONTAL", "POSTERO-ANTERIOR", "ANTERO-POSTERIOR", "AP SUPINE", "AP ERECT", "PA ERECT");
    private static final Set<String> LATERAL = Set.of("LATERAL", "LL", "RL", "XTABLE LATERAL", "SWIMMERS",
            "LEFT LATERAL", "RIGHT LATERAL", "LATERAL DECUBITUS");

    public static Kind classify(String view) {
        if (view == null) return Kind.UNKNOWN;
        String v = view.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (v.isEmpty()) return Kind.UNKNOWN;
        if (FRONTAL.contains(v)) return Kind.FRONTAL;
        if (LATERAL.contains(v)) return Kind.LATERAL;
        if (v.contains("LATERAL")) return Kind.LATERAL;
        if (v.startsWith("AP ") || v.startsWith("PA ")) return Kind.FRONTAL;
        return Kind.UNKNOWN;
    }

    /** The first known kind among several view columns (MIMIC's ViewPosition is blank for ~4 % of images). */
    public static Kind classify(String... views) {
        for (String v : views) {
            Kind k = classify(v);
            if (k != Kind.UNKNOWN) return k;
        }
        return Kind.UNKNOWN;
    }
}
