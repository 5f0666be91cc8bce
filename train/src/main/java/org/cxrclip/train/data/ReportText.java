package org.cxrclip.train.data;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Radiology report text as the two papers' code prepares it.
 *
 * <ul>
 *   <li>{@link #clean}: the thesis' {@code preprocess_cap} on a MIMIC-CXR report: drop the TECHNIQUE,
 *       COMPARISON, DATE and EXAMINATION lines (a header alone on its line takes the next line with it), drop
 *       "FINAL REPORT", fold newlines ("\n \n" → "\n", ".\n" → ".", "\n" → " "), collapse "__…" to "_", drop
 *       "CHEST RADIOGRAPH PERFORMED ON _", "CHEST RADIOGRAPH", "_ year(s) old", "_-year-old", collapse
 *       double spaces, "FINAL ADDENDUM ADDENDUM" → "FINAL ADDENDUM". INDICATION, HISTORY, FINDINGS and
 *       IMPRESSION text stay.</li>
 *   <li>{@link #impression}: CheXzero's rule: whitespace tokens after the last "IMPRESSION:" token up to the
 *       first "RECOMMENDATION(S):", "RECOMMENDATION:", "RECOMMENDATIONS:", "NOTIFICATION:" or
 *       "NOTIFICATIONS:" token, joined by single spaces; "NO IMPRESSION" when there is no such token.</li>
 *   <li>{@link #findings}: the same token rule for "FINDINGS:", ending at the next section header (an
 *       upper-case token ending in ':', e.g. "IMPRESSION:"); "" when there is no FINDINGS section.</li>
 * </ul>
 * Section deletion in {@link #clean} stops before the newline, so the words either side stay separated.
 */
public final class ReportText {
    private ReportText() {}

    /** Which text of a report a reader keeps. */
    public enum Section {
        /** The file as it is. */
        RAW,
        /** The thesis' cleaned report (default for CLS training). */
        CLEANED,
        /** CheXzero's impression. */
        IMPRESSION,
        /** The findings section. */
        FINDINGS;

        public static Section parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown report section '" + s + "' (known: raw, cleaned, impression, findings)");
            }
        }
    }

    private static final List<String> DROPPED_SECTIONS = List.of("TECHNIQUE", "COMPARISON", "DATE", "EXAMINATION");
    private static final Pattern UNDERSCORES = Pattern.compile("__+");
    private static final Pattern SECTION_HEADER = Pattern.compile("[A-Z][A-Z()/ ]*:");

    public static String section(String report, Section section) {
        return switch (section) {
            case RAW -> report;
            case CLEANED -> clean(report);
            case IMPRESSION -> impression(report);
            case FINDINGS -> findings(report);
        };
    }

    public static String clean(String report) {
        String s = report.replace("\r\n", "\n");
        for (String sec : DROPPED_SECTIONS) {
            s = s.replace(sec + " \n", sec).replace(sec + "\n", sec);
            s = deleteToLineEnd(s, sec);
        }
        s = s.replace("FINAL REPORT", "");
        s = s.replace("\n \n", "\n").replace(".\n", ".").replace("\n", " ");
        s = UNDERSCORES.matcher(s).replaceAll("_");
        for (String junk : List.of("CHEST RADIOGRAPH PERFORMED ON _", "CHEST RADIOGRAPH", "_ years old", "_ year old",
                "_-year-old"))
            s = s.replace(junk, "");
        while (s.contains("  ")) s = s.replace("  ", " ");
        s = s.replace("FINAL ADDENDUM ADDENDUM", "FINAL ADDENDUM");
        return s.strip();
    }

    private static String deleteToLineEnd(String s, String marker) {
        StringBuilder out = new StringBuilder(s.length());
        int from = 0, at;
        while ((at = s.indexOf(marker, from)) >= 0) {
            out.append(s, from, at);
            int nl = s.indexOf('\n', at);
            from = nl < 0 ? s.length() : nl;
        }
        return out.append(s, from, s.length()).toString();
    }

    public static String impression(String report) {
        String[] tokens = report.strip().split("\\s+");
        int start = -1;
        for (int i = 0; i < tokens.length; i++) if (tokens[i].equals("IMPRESSION:")) start = i + 1;
        if (start < 0) return "NO IMPRESSION";
        int end = tokens.length;
        for (int i = start; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.equals("RECOMMENDATION(S):") || t.equals("RECOMMENDATION:") || t.equals("RECOMMENDATIONS:")
                    || t.equals("NOTIFICATION:") || t.equals("NOTIFICATIONS:")) {
                end = i;
                break;
            }
        }
        return String.join(" ", java.util.Arrays.asList(tokens).subList(start, end));
    }

    public static String findings(String report) {
        String[] tokens = report.strip().split("\\s+");
        int start = -1;
        for (int i = 0; i < tokens.length; i++) if (tokens[i].equals("FINDINGS:")) start = i + 1;
        if (start < 0) return "";
        int end = tokens.length;
        for (int i = start; i < tokens.length; i++) {
            if (tokens[i].length() > 2 && SECTION_HEADER.matcher(tokens[i]).matches()) {
                end = i;
                break;
            }
        }
        return String.join(" ", java.util.Arrays.asList(tokens).subList(start, end));
    }
}
