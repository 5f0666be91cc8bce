package org.cxrclip.train.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cxrclip.train.data.Csv;

/**
 * What an evaluation scored: one row per test image (its id, the image path as in the manifest) and per label
 * the ground truth (1, 0, or NaN where an uncertain label is ignored) and the model's score. Its CSV form,
 * {@code scores.csv}, has the header {@code image,<label>.truth,<label>.score,...}; an empty truth cell is NaN.
 * Two tables of the same test set can be compared image by image ({@code eval compare}).
 */
public record ScoreTable(List<String> ids, List<String> labels, float[] truth, float[] scores) {
    public ScoreTable {
        ids = List.copyOf(ids);
        labels = List.copyOf(labels);
        if (truth.length != ids.size() * labels.size() || scores.length != truth.length)
            throw new IllegalArgumentException("score table: " + ids.size() + " images x " + labels.size() + " labels, got "
                    + truth.length + " truths and " + scores.length + " scores");
    }

    public int size() {
        return ids.size();
    }

    /** The rows {@code rows}, in that order. */
    public ScoreTable rows(int[] rows) {
        int l = labels.size();
        List<String> id = new ArrayList<>(rows.length);
        float[] t = new float[rows.length * l], s = new float[rows.length * l];
        for (int i = 0; i < rows.length; i++) {
            id.add(ids.get(rows[i]));
            System.arraycopy(truth, rows[i] * l, t, i * l, l);
            System.arraycopy(scores, rows[i] * l, s, i * l, l);
        }
        return new ScoreTable(id, labels, t, s);
    }

    public String csv() {
        StringBuilder b = new StringBuilder("image");
        for (String name : labels) b.append(',').append(field(name + ".truth")).append(',').append(field(name + ".score"));
        b.append('\n');
        int l = labels.size();
        for (int i = 0; i < ids.size(); i++) {
            b.append(field(ids.get(i)));
            for (int j = 0; j < l; j++) {
                float t = truth[i * l + j];
                b.append(',').append(Float.isNaN(t) ? "" : t == 1f ? "1" : "0").append(',').append(scores[i * l + j]);
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Reads a {@code scores.csv}; errors name the file, line and column. */
    public static ScoreTable read(Path csv) throws IOException {
        Csv.Table t = Csv.read(csv);
        List<String> h = t.header();
        if (h.isEmpty() || !h.get(0).equals("image") || h.size() % 2 != 1)
            throw new IOException(csv + ": not a scores.csv with truth (header must be image,<label>.truth,<label>.score,...; got "
                    + h + ")");
        List<String> labels = new ArrayList<>();
        for (int c = 1; c < h.size(); c += 2) {
            String truthCol = h.get(c), scoreCol = h.get(c + 1);
            if (!truthCol.endsWith(".truth") || !scoreCol.equals(truthCol.substring(0, truthCol.length() - 6) + ".score"))
                throw new IOException(csv + ": columns '" + truthCol + "', '" + scoreCol
                        + "' are not a <label>.truth, <label>.score pair (written without a labelled manifest?)");
            labels.add(truthCol.substring(0, truthCol.length() - 6));
        }
        int n = t.rows().size(), l = labels.size();
        List<String> ids = new ArrayList<>(n);
        float[] truth = new float[n * l], scores = new float[n * l];
        for (int i = 0; i < n; i++) {
            List<String> row = t.rows().get(i);
            String where = csv + ":" + t.lineNumbers().get(i);
            if (row.size() != h.size()) throw new IOException(where + ": " + row.size() + " fields, header has " + h.size());
            ids.add(row.get(0));
            for (int j = 0; j < l; j++) {
                String tv = row.get(1 + 2 * j).trim(), sv = row.get(2 + 2 * j).trim();
                truth[i * l + j] = switch (tv) {
                    case "" -> Float.NaN;
                    case "1" -> 1f;
                    case "0" -> 0f;
                    default -> throw new IOException(where + ": " + labels.get(j) + ".truth is '" + tv + "' (expected 1, 0 or blank)");
                };
                try {
                    scores[i * l + j] = Float.parseFloat(sv);
                } catch (NumberFormatException e) {
                    throw new IOException(where + ": " + labels.get(j) + ".score is '" + sv + "', not a number");
                }
            }
        }
        return new ScoreTable(ids, labels, truth, scores);
    }

    private static String field(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
