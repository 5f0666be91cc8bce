package org.cxrclip.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MIMIC-CXR-JPG with its own CSVs in {@code root}: mimic-cxr-2.0.0-metadata.csv(.gz) (the image list:
 * dicom_id, subject_id, study_id, ViewPosition, …), -split.csv(.gz) (dicom_id → train/validate/test) and
 * -chexpert.csv(.gz) (or -negbio; study-level: subject_id, study_id, 14 labels of 1.0/0.0/−1.0/blank), joined to
 * images by (subject_id, study_id) as the thesis does. Images without labels are dropped (the thesis drops
 * them too) and counted. Image path: {@code root/files/p{first two digits}/p{subject}/s{study}/{dicom}.jpg}.
 * "validate" becomes split "val". Reports as in {@link CxrLtDataset}.
 */
public final class MimicCxrDataset {
    private MimicCxrDataset() {}

    public static Dataset load(Path root, String labeler, Path reportRoot, ReportText.Section section, LoadOptions options)
            throws IOException {
        if (!Files.isDirectory(root)) throw new IOException(root + ": MIMIC-CXR-JPG root folder not found");
        Path labelsCsv = find(root, "mimic-cxr-2.0.0-" + (labeler == null ? "chexpert" : labeler));
        Path splitCsv = find(root, "mimic-cxr-2.0.0-split");
        Path metaCsv = find(root, "mimic-cxr-2.0.0-metadata");

        Csv.Table lt = Csv.read(labelsCsv);
        int lSubject = Columns.require(lt, "subject_id"), lStudy = Columns.require(lt, "study_id");
        List<String> names = Columns.allExcept(lt, Set.of("subject_id", "study_id"));
        int[] cols = Columns.indices(lt, names);
        DatasetBuilder b = new DatasetBuilder(root.toString(), names, options);
        Map<String, float[]> labelsByStudy = new HashMap<>();
        for (int r = 0; r < lt.rows().size(); r++) {
            float[] y = Columns.rawLabels(lt, r, cols, names, b);
            if (y == null) continue;
            List<String> row = lt.rows().get(r);
            labelsByStudy.put(key(row.get(lSubject), row.get(lStudy)), y);
        }

        Csv.Table st = Csv.read(splitCsv);
        int sDicom = Columns.require(st, "dicom_id"), sSplit = Columns.require(st, "split");
        Map<String, String> splitByDicom = new HashMap<>();
        for (List<String> row : st.rows()) splitByDicom.put(row.get(sDicom).trim(), Columns.normaliseSplit(row.get(sSplit)));

        Csv.Table mt = Csv.read(metaCsv);
        int dicom = Columns.require(mt, "dicom_id"), subject = Columns.require(mt, "subject_id");
        int study = Columns.require(mt, "study_id"), view = Columns.optional(mt, "ViewPosition");
        int viewCode = Columns.optional(mt, "ViewCodeSequence_CodeMeaning");
        for (int r = 0; r < mt.rows().size(); r++) {
            List<String> row = mt.rows().get(r);
            String where = Columns.where(mt, r);
            String d = row.get(dicom).trim();
            String subj = CxrLtDataset.stripPrefix(row.get(subject), 'p');
            String stud = CxrLtDataset.stripPrefix(row.get(study), 's');
            float[] y = labelsByStudy.get(key(subj, stud));
            if (y == null) {
                b.drop("study has no row in " + labelsCsv.getFileName(), where);
                continue;
            }
            Path image = imagePath(root, subj, stud, d);
            if (image == null) {
                b.drop("dicom_id, subject_id or study_id is not valid in a path", where);
                continue;
            }
            String text = null;
            if (reportRoot != null) {
                text = MimicReports.read(reportRoot, subj, stud, section);
            }
            String split = splitByDicom.get(d);
            if (split == null) b.note("dicom_id not in " + splitCsv.getFileName() + " (kept without split)");
            boolean kept = b.add(r, image, subj, stud, ManifestDataset.blankToNull(Columns.cell(row, view)), text, split, y, where,
                    Columns.cell(row, viewCode));
            if (kept && reportRoot != null && text == null) b.note("report file missing (image kept without text)");
        }
        return b.build();
    }

    /** {@code root/files/pXX/pSUBJECT/sSTUDY/DICOM.jpg}, or null when an id holds a character no path may have. */
    private static Path imagePath(Path root, String subject, String study, String dicom) {
        try {
            return root.resolve("files").resolve("p" + subject.substring(0, Math.min(2, subject.length())))
                    .resolve("p" + subject).resolve("s" + study).resolve(dicom + ".jpg");
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    private static String key(String subject, String study) {
        return CxrLtDataset.stripPrefix(subject, 'p') + "/" + CxrLtDataset.stripPrefix(study, 's');
    }

    /** {@code base}.csv or {@code base}.csv.gz in root; an error naming both when neither exists. */
    static Path find(Path root, String base) throws IOException {
        for (String ext : new String[] {".csv", ".csv.gz"}) {
            Path p = root.resolve(base + ext);
            if (Files.isRegularFile(p)) return p;
        }
        throw new IOException(root + ": neither " + base + ".csv nor " + base + ".csv.gz found");
    }
}
