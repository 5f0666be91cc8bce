package org.cxrclip.train.data;

import java.util.Locale;

/**
 * What an uncertain label (−1 in CheXpert-style CSVs) becomes. ZERO is the default and what CheXzero's and the
 * "Language over Labels" thesis' code do (−1 → 0, for train, val and test alike); ONE is CheXpert's U-Ones;
 * IGNORE keeps it as NaN so losses and metrics can mask it. A blank (not mentioned) label is 0 under every
 * policy, as both papers' code fills NaN with 0.
 */
public enum UncertainPolicy {
    ZERO, ONE, IGNORE;

    /** The label value for a raw 1 / 0 / −1 / NaN (blank). */
    public float apply(float raw) {
        if (Float.isNaN(raw)) return 0f;
        if (raw == -1f) return switch (this) {
            case ZERO -> 0f;
            case ONE -> 1f;
            case IGNORE -> Float.NaN;
        };
        return raw;
    }

    public static UncertainPolicy parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown uncertain-label policy '" + s + "' (known: zero, one, ignore)");
        }
    }

    /**
     * Parses a raw label cell: "1", "0", "-1" with optional ".0" (and other exact numbers equal to those), or
     * blank → NaN. Returns null for anything else so the caller can report the row and column.
     */
    static Float parseRaw(String cell) {
        String v = cell.trim();
        if (v.isEmpty() || v.equalsIgnoreCase("nan")) return Float.NaN;
        try {
            float f = Float.parseFloat(v);
            return f == 1f || f == 0f || f == -1f ? f : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
