package org.cxrclip.clip.zeroshot;

import java.util.List;
import java.util.Locale;

/**
 * How a label becomes text and how the similarities become a score (REFERENCE §3–4):
 * <ul>
 *   <li>{@link #PRESENT} — CXR-CML: cos(image, "&lt;label&gt; is present");</li>
 *   <li>{@link #CHEXZERO} — CheXzero: softmax at temperature 1 of cos(image, "&lt;label&gt;") against
 *       cos(image, "no &lt;label&gt;"), i.e. the probability of the positive prompt;</li>
 *   <li>{@link #NEUTRAL_DIFF} — Language over Labels: cos(image, neutral + " with " + label) − cos(image, neutral),
 *       averaged over the neutral prompts "Impression: " and "FINDINGS:", then min–max normalised over the
 *       evaluated images (which leaves the AUC unchanged).</li>
 * </ul>
 * Label names are used as written, with underscores read as spaces ("Pleural_Thickening").
 */
public enum PromptStyle {
    PRESENT,
    CHEXZERO,
    NEUTRAL_DIFF;

    /** The neutral prompts of Language over Labels' zero-shot evaluation. */
    public static final List<String> NEUTRALS = List.of("Impression: ", "FINDINGS:");

    public static PromptStyle parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "present" -> PRESENT;
            case "chexzero" -> CHEXZERO;
            case "neutral-diff", "neutral_diff" -> NEUTRAL_DIFF;
            default -> throw new IllegalArgumentException("unknown prompt style '" + s + "' (known: present, chexzero, neutral-diff)");
        };
    }

    static String spoken(String label) {
        return label.replace('_', ' ').trim();
    }
}
