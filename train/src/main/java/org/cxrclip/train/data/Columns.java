package org.cxrclip.train.data;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Column lookups on a {@link Csv.Table} whose failures name the file, the column and the header. */
final class Columns {
    private Columns() {}

    /** The index of the first of {@code names} present; an IOException naming the file otherwise. */
    static int require(Csv.Table t, String... names) throws IOException {
        int c = optional(t, names);
        if (c < 0)
            throw new IOException(t.file() + ": missing column '" + String.join("' or '", names) + "' (header: "
                    + String.join(",", t.header()) + ")");
        return c;
    }

    /** The index of the first of {@code names} present, or −1. */
    static int optional(Csv.Table t, String... names) {
        for (String n : names) {
            int c = t.column(n);
            if (c >= 0) return c;
        }
        return -1;
    }

    /** Every column not in {@code metadata}, in header order: the label columns of fixed-schema CSVs. */
    static List<String> allExcept(Csv.Table t, Set<String> metadata) throws IOException {
        List<String> out = new ArrayList<>();
        for (String h : t.header()) if (!metadata.contains(h)) out.add(h);
        if (out.isEmpty()) throw new IOException(t.file() + ": no label columns (header: " + String.join(",", t.header()) + ")");
        return out;
    }

    /** The cell, or null when the column is absent; blank cells are returned trimmed (""). */
    static String cell(List<String> row, int column) {
        return column < 0 ? null : row.get(column).trim();
    }

    /**
     * {@code dir} resolved against a path read from a CSV, normalised; null when the text cannot name a file here
     * (a NUL byte, or characters the file system refuses), so the reader can drop the row and say why.
     */
    static Path resolve(Path dir, String relative) {
        try {
            return dir.resolve(relative).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** "file:line" of data row {@code r}. */
    static String where(Csv.Table t, int r) {
        return t.file().getFileName() + ":" + t.lineNumbers().get(r);
    }

    /**
     * Raw label values of row {@code r} for {@code cols}, or null after dropping the row when a cell is not
     * 1, 0, −1 or blank (the summary names file, line, column and value).
     */
    static float[] rawLabels(Csv.Table t, int r, int[] cols, List<String> names, DatasetBuilder b) {
        List<String> row = t.rows().get(r);
        float[] y = new float[cols.length];
        for (int k = 0; k < cols.length; k++) {
            Float v = UncertainPolicy.parseRaw(row.get(cols[k]));
            if (v == null) {
                b.drop("label value not 1, 0, -1 or blank", where(t, r) + " column '" + names.get(k) + "' = '"
                        + row.get(cols[k]).trim() + "'");
                return null;
            }
            y[k] = v;
        }
        return y;
    }

    static int[] indices(Csv.Table t, List<String> names) throws IOException {
        int[] cols = new int[names.size()];
        for (int k = 0; k < cols.length; k++) cols[k] = require(t, names.get(k));
        return cols;
    }

    /** A split value normalised to train / val / test (MIMIC's "validate" → val), or null if blank or unknown. */
    static String normaliseSplit(String s) {
        if (s == null) return null;
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "train", "training" -> "train";
            case "val", "valid", "validate", "validation" -> "val";
            case "test" -> "test";
            default -> null;
        };
    }
}
