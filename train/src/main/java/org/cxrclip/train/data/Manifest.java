package org.cxrclip.train.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Our manifest CSV: {@code image} (a path relative to the CSV; '/' or '\' separators), optional
 * {@code patient_id}, {@code text}, {@code split} (train/val/test), then one column per label with 1, 0, −1
 * (uncertain) or blank (not mentioned). Extra metadata columns (as in the NIH and COVID sample sets: id, view,
 * age, sex, …) are allowed: a column is a label when it is not a known metadata name and every value is blank,
 * 0, 1 or −1. {@code labels} may name the label columns explicitly instead.
 */
public final class Manifest {
    private static final Set<String> METADATA = Set.of("id", "image", "patient_id", "text", "split", "view", "age",
            "sex", "follow_up", "offset_days", "finding_labels", "finding_orig", "finding_hier", "license", "doi",
            "url", "attribution", "orig_filename", "orig_width", "orig_height", "sha256", "study_id", "dicom_id",
            "subject_id", "path", "fold");

    /** One image row; labels hold 1, 0, −1, or NaN where blank. */
    public record Entry(int row, Path image, String patientId, String text, String split, float[] labels) {}

    private final Path file;
    private final List<String> labelNames;
    private final List<Entry> entries;

    private Manifest(Path file, List<String> labelNames, List<Entry> entries) {
        this.file = file;
        this.labelNames = labelNames;
        this.entries = entries;
    }

    public static Manifest read(Path csv) throws IOException {
        return read(csv, null);
    }

    /** Reads a manifest; {@code labels} (may be null) names the label columns, else they are detected. */
    public static Manifest read(Path csv, List<String> labels) throws IOException {
        Csv.Table t = Csv.read(csv);
        int image = t.column("image");
        if (image < 0) throw new IOException(csv + ": no 'image' column (header: " + t.header() + ")");
        List<String> names = labels != null ? labels : detectLabels(t);
        int[] cols = new int[names.size()];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = t.column(names.get(i));
            if (cols[i] < 0) throw new IOException(csv + ": no label column '" + names.get(i) + "' (header: " + t.header() + ")");
        }
        int patient = t.column("patient_id"), text = t.column("text"), split = t.column("split");
        Path dir = csv.toAbsolutePath().getParent();
        List<Entry> entries = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) {
            List<String> row = t.rows().get(r);
            String rel = row.get(image).trim().replace('\\', '/');
            if (rel.isEmpty()) throw new IOException(csv + ":" + t.lineNumbers().get(r) + ": empty 'image' value");
            float[] y = new float[cols.length];
            for (int i = 0; i < cols.length; i++)
                y[i] = parseLabel(row.get(cols[i]), csv, t.lineNumbers().get(r), names.get(i));
            Path imagePath = Columns.resolve(dir, rel);
            if (imagePath == null) throw new IOException(csv + ":" + t.lineNumbers().get(r) + ": 'image' value is not a valid path");
            String s = split < 0 ? null : row.get(split).trim().toLowerCase(Locale.ROOT);
            if (s != null && !s.isEmpty() && !s.equals("train") && !s.equals("val") && !s.equals("test"))
                throw new IOException(csv + ":" + t.lineNumbers().get(r) + ": split '" + s + "' is not train, val or test");
            entries.add(new Entry(r, imagePath, patient < 0 ? null : row.get(patient).trim(),
                    text < 0 ? null : row.get(text), s == null || s.isEmpty() ? null : s, y));
        }
        return new Manifest(csv, List.copyOf(names), List.copyOf(entries));
    }

    static List<String> detectLabels(Csv.Table t) {
        Set<String> out = new LinkedHashSet<>();
        for (int c = 0; c < t.header().size(); c++) {
            String name = t.header().get(c);
            if (METADATA.contains(name.toLowerCase(Locale.ROOT))) continue;
            boolean ok = !t.rows().isEmpty();
            for (List<String> row : t.rows()) {
                String v = row.get(c).trim();
                if (!(v.isEmpty() || isLabelValue(v))) {
                    ok = false;
                    break;
                }
            }
            if (ok) out.add(name);
        }
        return new ArrayList<>(out);
    }

    private static boolean isLabelValue(String v) {
        return switch (v) {
            case "0", "1", "-1", "0.0", "1.0", "-1.0" -> true;
            default -> false;
        };
    }

    private static float parseLabel(String v, Path csv, int line, String column) throws IOException {
        v = v.trim();
        if (v.isEmpty()) return Float.NaN;
        if (!isLabelValue(v))
            throw new IOException(csv + ":" + line + ": label '" + column + "' has value '" + v + "' (expected 1, 0, -1 or blank)");
        return Float.parseFloat(v);
    }

    public Path file() {
        return file;
    }

    public List<String> labelNames() {
        return labelNames;
    }

    public List<Entry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }
}
