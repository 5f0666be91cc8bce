package org.cxrclip.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * MIMIC-CXR-JPG images with a CXR-LT 2024 label CSV (train_labeled.csv, development_labeled_task1.csv, …):
 * dicom_id, subject_id, study_id (with an "s" prefix, e.g. s50414267), ViewPosition, ViewCodeSequence_CodeMeaning,
 * fpath (files/p10/p10000032/s50414267/&lt;dicom_id&gt;.jpg), then the 40 label columns (0/1; −1 and blank are
 * accepted too). Images are {@code mimicRoot/fpath}. With a report root, each image gets the text of
 * {@code reportRoot/files/pXX/pSUBJECT/sSTUDY.txt} (MIMIC-CXR's reports), reduced to {@code section}; an image
 * whose report is missing is kept without text and counted.
 *
 * <p>Study ids are stored without the "s" prefix (50414267), as MIMIC's own CSVs write them, so the two
 * sources join. Patient id = subject_id (a "p" prefix, if any, removed likewise).
 */
public final class CxrLtDataset {
    private CxrLtDataset() {}

    static final Set<String> METADATA = Set.of("dicom_id", "subject_id", "study_id", "ViewPosition",
            "ViewCodeSequence_CodeMeaning", "fpath", "path", "split", "PerformedProcedureStepDescription",
            "PatientOrientationCodeSequence_CodeMeaning", "StudyDate", "StudyTime", "Rows", "Columns");

    public static Dataset load(Path labelsCsv, Path mimicRoot, Path reportRoot, ReportText.Section section,
            LoadOptions options) throws IOException {
        if (!Files.isRegularFile(labelsCsv)) throw new IOException(labelsCsv + ": CXR-LT label CSV not found");
        if (!Files.isDirectory(mimicRoot)) throw new IOException(mimicRoot + ": MIMIC-CXR-JPG root folder not found");
        if (reportRoot != null && !Files.isDirectory(reportRoot))
            throw new IOException(reportRoot + ": report root folder not found");
        Csv.Table t = Csv.read(labelsCsv);
        int fpath = Columns.require(t, "fpath", "path"), subject = Columns.require(t, "subject_id");
        int study = Columns.require(t, "study_id"), view = Columns.optional(t, "ViewPosition");
        int viewCode = Columns.optional(t, "ViewCodeSequence_CodeMeaning"), split = Columns.optional(t, "split");
        List<String> names = Columns.allExcept(t, METADATA);
        int[] cols = Columns.indices(t, names);
        DatasetBuilder b = new DatasetBuilder(labelsCsv.toString(), names, options);
        for (int r = 0; r < t.rows().size(); r++) {
            List<String> row = t.rows().get(r);
            String where = Columns.where(t, r);
            String rel = row.get(fpath).trim().replace('\\', '/');
            if (rel.isEmpty()) {
                b.drop("empty 'fpath' value", where);
                continue;
            }
            Path image = Columns.resolve(mimicRoot, rel);
            if (image == null) {
                b.drop("'fpath' value is not a valid path", where);
                continue;
            }
            float[] y = Columns.rawLabels(t, r, cols, names, b);
            if (y == null) continue;
            String subj = stripPrefix(row.get(subject), 'p'), stud = stripPrefix(row.get(study), 's');
            String text = null;
            if (reportRoot != null) {
                text = MimicReports.read(reportRoot, subj, stud, section);
            }
            String s = Columns.cell(row, split);
            boolean kept = b.add(r, image, subj, stud, ManifestDataset.blankToNull(Columns.cell(row, view)),
                    text, Columns.normaliseSplit(s), y, where, Columns.cell(row, viewCode));
            if (kept && reportRoot != null && text == null) b.note("report file missing (image kept without text)");
        }
        return b.build();
    }

    /** "s50414267" → "50414267"; ids without the prefix are returned trimmed. */
    static String stripPrefix(String id, char prefix) {
        String v = id.trim();
        return v.length() > 1 && (v.charAt(0) == prefix || v.charAt(0) == Character.toUpperCase(prefix))
                && Character.isDigit(v.charAt(1)) ? v.substring(1) : v;
    }
}
