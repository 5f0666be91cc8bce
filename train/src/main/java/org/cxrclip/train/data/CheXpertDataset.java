package org.cxrclip.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * CheXpert train.csv / valid.csv: Path (CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg), Sex,
 * Age, Frontal/Lateral, AP/PA, then 14 labels (1.0 / 0.0 / −1.0 / blank). Image = {@code root/Path}; root defaults
 * to the folder above the CSV's folder (where the zip unpacks CheXpert-v1.0-small/). Patient id = the
 * "patientNNNNN" path segment, study id = "patientNNNNN/studyN". No split is set: the thesis split train.csv
 * 90/10 (image-level) and used valid.csv as test; use {@link PatientSplits} for a patient-level split instead.
 */
public final class CheXpertDataset {
    private CheXpertDataset() {}

    static final Set<String> METADATA = Set.of("Path", "Sex", "Age", "Frontal/Lateral", "AP/PA");

    public static Dataset load(Path csv, Path root, LoadOptions options) throws IOException {
        if (!Files.isRegularFile(csv)) throw new IOException(csv + ": CheXpert CSV not found");
        if (root == null) {
            Path parent = csv.toAbsolutePath().getParent();
            root = parent.getParent() != null ? parent.getParent() : parent;
        }
        Csv.Table t = Csv.read(csv);
        int path = Columns.require(t, "Path"), frontal = Columns.optional(t, "Frontal/Lateral");
        int appa = Columns.optional(t, "AP/PA");
        List<String> names = Columns.allExcept(t, METADATA);
        int[] cols = Columns.indices(t, names);
        DatasetBuilder b = new DatasetBuilder(csv.toString(), names, options);
        for (int r = 0; r < t.rows().size(); r++) {
            List<String> row = t.rows().get(r);
            String where = Columns.where(t, r);
            String rel = row.get(path).trim().replace('\\', '/');
            String patient = segment(rel, "patient");
            if (patient == null) {
                b.drop("Path has no patientNNNNN folder", where + " '" + rel + "'");
                continue;
            }
            Path image = Columns.resolve(root, rel);
            if (image == null) {
                b.drop("Path is not a valid path", where);
                continue;
            }
            float[] y = Columns.rawLabels(t, r, cols, names, b);
            if (y == null) continue;
            String study = segment(rel, "study");
            String fl = Columns.cell(row, frontal), ap = Columns.cell(row, appa);
            // CheXpert's AP/PA column is blank for laterals, so Frontal/Lateral decides and AP/PA only refines.
            String view = "Lateral".equalsIgnoreCase(fl) ? "LATERAL" : ap != null && !ap.isEmpty() ? ap
                    : "Frontal".equalsIgnoreCase(fl) ? "FRONTAL" : null;
            b.add(r, image, patient, study == null ? null : patient + "/" + study, view, null,
                    null, y, where);
        }
        return b.build();
    }

    private static String segment(String path, String prefix) {
        for (String s : path.split("/")) if (s.startsWith(prefix) && s.length() > prefix.length()) return s;
        return null;
    }
}
