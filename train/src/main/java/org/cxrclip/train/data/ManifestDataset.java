package org.cxrclip.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads our manifest CSV (see {@link Manifest} for the format; the NIH and COVID sample sets' labels.csv
 * follow it) into a {@link Dataset}, leniently: a bad row (bad label value, unknown split, empty image path,
 * missing file) is dropped and counted with file:line, never fatal. Structural problems (no file, no 'image'
 * column, an unknown requested label) are errors naming the file. Optional columns: patient_id, study_id,
 * view, text, split. Image paths are relative to the CSV (or absolute); '\' separators are read as '/'.
 */
public final class ManifestDataset {
    private ManifestDataset() {}

    public static Dataset load(Path csv, LoadOptions options) throws IOException {
        if (!Files.isRegularFile(csv)) throw new IOException(csv + ": manifest not found");
        Csv.Table t = Csv.read(csv);
        int image = Columns.require(t, "image");
        List<String> names = Manifest.detectLabels(t);
        int[] cols = Columns.indices(t, names);
        int patient = t.column("patient_id"), study = t.column("study_id"), view = t.column("view");
        int text = t.column("text"), split = t.column("split");
        DatasetBuilder b = new DatasetBuilder(csv.toString(), names, options);
        if (patient < 0) b.note("no patient_id column: each image is its own patient (splits cannot prevent leaks)");
        Path dir = csv.toAbsolutePath().getParent();
        for (int r = 0; r < t.rows().size(); r++) {
            List<String> row = t.rows().get(r);
            String rel = row.get(image).trim().replace('\\', '/');
            if (rel.isEmpty()) {
                b.drop("empty 'image' value", Columns.where(t, r));
                continue;
            }
            String s = Columns.cell(row, split);
            String sp = s == null || s.isEmpty() ? null : Columns.normaliseSplit(s);
            if (s != null && !s.isEmpty() && sp == null) {
                b.drop("split value not train, val or test", Columns.where(t, r) + " split = '" + s + "'");
                continue;
            }
            Path imagePath = Columns.resolve(dir, rel);
            if (imagePath == null) {
                b.drop("'image' value is not a valid path", Columns.where(t, r));
                continue;
            }
            float[] y = Columns.rawLabels(t, r, cols, names, b);
            if (y == null) continue;
            String v = Columns.cell(row, view);
            b.add(r, imagePath, Columns.cell(row, patient), blankToNull(Columns.cell(row, study)),
                    blankToNull(v), text < 0 ? null : row.get(text), sp, y, Columns.where(t, r));
        }
        return b.build();
    }

    static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
