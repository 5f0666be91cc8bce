package org.cxrclip.train.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Writes manifest CSVs atomically (a temp file in the target folder, then an atomic rename), so an
 * interrupted write never leaves a half manifest: either in our canonical column order from a {@link Dataset},
 * or as an edited copy of a source CSV that keeps every original column (used to save splits and to point a
 * manifest at prepared images). Image paths are written relative to the new CSV when they lie under its
 * folder, absolute otherwise, always with '/'.
 */
public final class ManifestWriter {
    private ManifestWriter() {}

    /** Our manifest: image, patient_id, study_id, view, text, split, then one column per label (1, 0, −1 for NaN). */
    public static void write(Dataset data, Path csv) throws IOException {
        List<String> header = new ArrayList<>(List.of("image", "patient_id", "study_id", "view", "text", "split"));
        header.addAll(data.labelNames());
        Path dir = csv.toAbsolutePath().getParent();
        List<List<String>> rows = new ArrayList<>();
        for (Sample s : data.samples()) {
            List<String> r = new ArrayList<>(List.of(imagePath(dir, s.image()), nz(s.patientId()), nz(s.studyId()),
                    nz(s.view()), nz(s.text()), nz(s.split())));
            for (float v : s.labels()) r.add(Float.isNaN(v) ? "-1" : v == 1f ? "1" : "0");
            rows.add(r);
        }
        writeAtomically(csv, header, rows);
    }

    /**
     * A copy of {@code source} at {@code out} with the image column re-relativised to the new folder and with
     * {@code column} (added at the end when absent) set to {@code valueByRow.get(row)} ("" when absent).
     */
    public static void withColumn(Csv.Table source, Path out, String column, Map<Integer, String> valueByRow)
            throws IOException {
        int c = source.column(column);
        List<String> header = new ArrayList<>(source.header());
        if (c < 0) {
            header.add(column);
            c = header.size() - 1;
        }
        final int col = c;
        rewrite(source, out, header, r -> {
            List<String> row = new ArrayList<>(source.rows().get(r));
            while (row.size() < header.size()) row.add("");
            row.set(col, valueByRow.getOrDefault(r, ""));
            return row;
        });
    }

    /**
     * Writes {@code header} and, for each source row r, {@code rowFor.apply(r)} (null drops the row). The source's
     * 'image' column, when present, is rewritten relative to {@code out}'s folder unless rowFor changed it.
     */
    public static void rewrite(Csv.Table source, Path out, List<String> header, IntFunction<List<String>> rowFor)
            throws IOException {
        int image = source.column("image");
        Path from = source.file().toAbsolutePath().getParent(), to = out.toAbsolutePath().getParent();
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < source.rows().size(); r++) {
            List<String> row = rowFor.apply(r);
            if (row == null) continue;
            if (image >= 0 && row.get(image).equals(source.rows().get(r).get(image)) && !from.equals(to)) {
                row = new ArrayList<>(row);
                String rel = row.get(image).trim().replace('\\', '/');
                row.set(image, imagePath(to, from.resolve(rel).normalize()));
            }
            rows.add(row);
        }
        writeAtomically(out, header, rows);
    }

    /** The path to write for {@code image} in a manifest in {@code dir}. */
    public static String imagePath(Path dir, Path image) {
        Path abs = image.toAbsolutePath().normalize();
        Path d = dir.toAbsolutePath().normalize();
        return (abs.startsWith(d) ? d.relativize(abs) : abs).toString().replace('\\', '/');
    }

    static void writeAtomically(Path csv, List<String> header, List<List<String>> rows) throws IOException {
        org.cxrclip.engine.io.AtomicFile.replace(csv, ch -> {
            BufferedWriter w = new BufferedWriter(java.nio.channels.Channels.newWriter(ch, StandardCharsets.UTF_8));
            writeRow(w, header);
            for (List<String> r : rows) writeRow(w, r);
            w.flush();
        });
    }

    private static void writeRow(BufferedWriter w, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) w.write(',');
            String c = cells.get(i) == null ? "" : cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0)
                c = '"' + c.replace("\"", "\"\"") + '"';
            w.write(c);
        }
        w.write('\n');
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
