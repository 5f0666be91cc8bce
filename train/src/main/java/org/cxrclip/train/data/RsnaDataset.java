package org.cxrclip.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RSNA Pneumonia Detection stage_2_train_labels.csv (patientId, x, y, width, height, Target: one row per box
 * for positives, one row with blank box for negatives), deduplicated by patientId (a positive patient with
 * several boxes is one image; the thesis did not deduplicate, which puts one image in several splits). One
 * label, "Pneumonia" = Target (a patient is positive if any of its rows is). Images are
 * {@code imageDir/patientId.png|.jpg|.jpeg} (DICOMs must be converted first). All RSNA images are frontal, so
 * the frontal-only filter keeps them.
 */
public final class RsnaDataset {
    private RsnaDataset() {}

    public static final String LABEL = "Pneumonia";

    public static Dataset load(Path csv, Path imageDir, LoadOptions options) throws IOException {
        if (!Files.isRegularFile(csv)) throw new IOException(csv + ": RSNA label CSV not found");
        if (!Files.isDirectory(imageDir)) throw new IOException(imageDir + ": RSNA image folder not found");
        Csv.Table t = Csv.read(csv);
        int pid = Columns.require(t, "patientId"), target = Columns.require(t, "Target");
        DatasetBuilder b = new DatasetBuilder(csv.toString(), List.of(LABEL), options);
        Map<String, Integer> firstRow = new LinkedHashMap<>();
        Map<String, Float> label = new LinkedHashMap<>();
        for (int r = 0; r < t.rows().size(); r++) {
            List<String> row = t.rows().get(r);
            String p = row.get(pid).trim();
            String v = row.get(target).trim();
            if (p.isEmpty()) {
                b.drop("empty patientId", Columns.where(t, r));
                continue;
            }
            if (Columns.resolve(imageDir, p) == null) {
                b.drop("patientId is not valid in a file name", Columns.where(t, r));
                continue;
            }
            if (!v.equals("0") && !v.equals("1")) {
                b.drop("Target not 0 or 1", Columns.where(t, r) + " Target = '" + v + "'");
                continue;
            }
            if (firstRow.putIfAbsent(p, r) != null) {
                b.note("duplicate patientId rows merged (one image per patient)");
                if (!label.get(p).equals(Float.parseFloat(v))) b.note("duplicate rows disagree on Target (positive kept)");
            }
            label.merge(p, Float.parseFloat(v), Math::max);
        }
        for (Map.Entry<String, Integer> e : firstRow.entrySet()) {
            String p = e.getKey();
            Path image = findImage(imageDir, p);
            if (image.getFileName().toString().endsWith(".dcm")) {
                b.drop("DICOM image (convert to PNG or JPEG first)", image.toString());
                continue;
            }
            b.add(e.getValue(), image, p, null, "FRONTAL", null, null, new float[] {label.get(p)},
                    Columns.where(t, e.getValue()));
        }
        return b.build();
    }

    private static Path findImage(Path dir, String patientId) {
        for (String ext : new String[] {".png", ".jpg", ".jpeg", ".PNG", ".JPG"}) {
            Path p = dir.resolve(patientId + ext);
            if (Files.isRegularFile(p)) return p;
        }
        Path dcm = dir.resolve(patientId + ".dcm");
        return Files.isRegularFile(dcm) ? dcm : dir.resolve(patientId + ".png");
    }
}
