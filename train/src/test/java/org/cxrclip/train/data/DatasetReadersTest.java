package org.cxrclip.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each reader on a small fixture in its real schema, with the quirks of the real files. Expected values are
 * read off the fixture rows by hand.
 */
class DatasetReadersTest {
    @TempDir
    Path dir;

    private static final float N = Float.NaN;

    // CXR-LT 2024: study ids with "s", blank ViewPosition with a ViewCodeSequence fallback, a lateral, a bad label,
    // a missing image, reports for one study only.
    private Path cxrLt() throws IOException {
        Path root = dir.resolve("mimic-cxr-jpg");
        for (String f : List.of("files/p10/p10000032/s50414267/d1.jpg", "files/p10/p10000032/s50414267/d2.jpg",
                "files/p10/p10000032/s53189527/d3.jpg", "files/p11/p11000011/s51000001/d4.jpg",
                "files/p11/p11000011/s51000001/d6.jpg"))
            Fixtures.image(root.resolve(f), 8, 8, f.hashCode());
        Fixtures.text(dir.resolve("reports/files/p10/p10000032/s50414267.txt"),
                "FINAL REPORT\n EXAMINATION: CHEST (PA AND LAT)\n\n FINDINGS: Heart size normal.\n\n IMPRESSION: No acute process.\n");
        return Fixtures.text(dir.resolve("train_labeled.csv"),
                "dicom_id,subject_id,study_id,ViewPosition,ViewCodeSequence_CodeMeaning,fpath,Adenopathy,Atelectasis,Pleural Effusion\n"
                        + "d1,10000032,s50414267,PA,postero-anterior,files/p10/p10000032/s50414267/d1.jpg,1,0,0\n"
                        + "d2,10000032,s50414267,LATERAL,lateral,files/p10/p10000032/s50414267/d2.jpg,1,0,0\n"
                        + "d3,10000032,s53189527,,antero-posterior,files\\p10\\p10000032\\s53189527\\d3.jpg,0,1,1\n"
                        + "d4,11000011,s51000001,AP,antero-posterior,files/p11/p11000011/s51000001/d4.jpg,0,yes,0\n"
                        + "d5,11000011,s51000001,AP,antero-posterior,files/p11/p11000011/s51000001/d5.jpg,0,0,0\n"
                        + "d6,11000011,s51000001,,,files/p11/p11000011/s51000001/d6.jpg,0,-1,\n");
    }

    @Test
    void cxrLtJoinsImagesReportsAndStripsStudyPrefix() throws IOException {
        Path csv = cxrLt();
        Dataset d = CxrLtDataset.load(csv, dir.resolve("mimic-cxr-jpg"), dir.resolve("reports"), ReportText.Section.IMPRESSION,
                LoadOptions.defaults());
        assertEquals(List.of("Adenopathy", "Atelectasis", "Pleural Effusion"), d.labelNames());
        assertEquals(4, d.size(), "d4 (label 'yes') and d5 (no file) are dropped");
        Sample d1 = d.get(0);
        assertEquals("10000032", d1.patientId());
        assertEquals("50414267", d1.studyId());
        assertEquals("No acute process.", d1.text());
        assertEquals(dir.resolve("mimic-cxr-jpg/files/p10/p10000032/s53189527/d3.jpg"), d.get(2).image(), "'\\' read as '/'");
        assertNull(d.get(2).text(), "no report for s53189527");
        assertArrayEquals(new float[] {0, 0, 0}, d.get(3).labels(), "-1 and blank become 0 by default");
        LoadSummary s = d.summary();
        assertEquals(2, s.patients());
        assertArrayEquals(new int[] {2, 1, 1}, s.positives());
        assertEquals(1, s.dropped().get("label value not 1, 0, -1 or blank"));
        assertTrue(s.examples().get("label value not 1, 0, -1 or blank").get(0).contains("train_labeled.csv:5 column 'Atelectasis' = 'yes'"),
                s.examples().toString());
        assertEquals(1, s.dropped().get("image file missing"));
        assertEquals(2, s.notes().get("report file missing (image kept without text)"));
    }

    @Test
    void cxrLtFrontalOnlyUsesViewCodeWhenViewPositionIsBlank() throws IOException {
        Dataset d = CxrLtDataset.load(cxrLt(), dir.resolve("mimic-cxr-jpg"), null, ReportText.Section.CLEANED,
                LoadOptions.defaults().withFrontalOnly(true).withUncertain(UncertainPolicy.IGNORE));
        assertEquals(List.of("d1.jpg", "d3.jpg"), d.samples().stream().map(x -> x.image().getFileName().toString()).toList());
        assertEquals(1, d.summary().dropped().get("lateral view (frontal-only)"));
        assertEquals(1, d.summary().dropped().get("no or unknown view (frontal-only)"), "d6 has no view at all");
    }

    @Test
    void mimicOwnCsvsJoinStudyLabelsToImagesAndReadGzip() throws IOException {
        Path root = dir.resolve("mimic");
        for (String f : List.of("files/p10/p10000032/s50414267/a.jpg", "files/p10/p10000032/s50414267/b.jpg",
                "files/p12/p12000001/s52000001/c.jpg"))
            Fixtures.image(root.resolve(f), 8, 8, 1);
        Fixtures.text(root.resolve("mimic-cxr-2.0.0-metadata.csv.gz"),
                "dicom_id,subject_id,study_id,PerformedProcedureStepDescription,ViewPosition,Rows,Columns\n"
                        + "a,10000032,50414267,CHEST (PA AND LAT),PA,3056,2544\n"
                        + "b,10000032,50414267,CHEST (PA AND LAT),LATERAL,3056,2544\n"
                        + "c,12000001,52000001,CHEST (PORTABLE AP),AP,3056,2544\n"
                        + "x,13000001,53000001,CHEST (PORTABLE AP),AP,3056,2544\n");
        Fixtures.text(root.resolve("mimic-cxr-2.0.0-split.csv.gz"),
                "dicom_id,study_id,subject_id,split\na,50414267,10000032,train\nb,50414267,10000032,train\n"
                        + "c,52000001,12000001,validate\nx,53000001,13000001,test\n");
        Fixtures.text(root.resolve("mimic-cxr-2.0.0-chexpert.csv"),
                "subject_id,study_id,Atelectasis,Cardiomegaly,No Finding\n10000032,50414267,1.0,-1.0,\n12000001,52000001,,0.0,1.0\n");
        Dataset d = MimicCxrDataset.load(root, "chexpert", null, ReportText.Section.CLEANED,
                LoadOptions.defaults().withUncertain(UncertainPolicy.ONE));
        assertEquals(3, d.size());
        assertArrayEquals(new float[] {1, 1, 0}, d.get(0).labels(), "-1.0 → 1 under ONE; blank → 0");
        assertArrayEquals(new float[] {1, 1, 0}, d.get(1).labels(), "study labels copied to every image of the study");
        assertEquals("val", d.get(2).split());
        assertEquals("LATERAL", d.get(1).view());
        assertEquals(1, d.summary().dropped().get("study has no row in mimic-cxr-2.0.0-chexpert.csv"));
        IOException e = assertThrows(IOException.class, () -> MimicCxrDataset.load(root, "negbio", null,
                ReportText.Section.CLEANED, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("mimic-cxr-2.0.0-negbio.csv"), e.getMessage());
    }

    @Test
    void chexpertReadsViewsPatientsAndUncertainPolicies() throws IOException {
        Path root = dir.resolve("chexpert");
        Fixtures.image(root.resolve("CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg"), 8, 8, 1);
        Fixtures.image(root.resolve("CheXpert-v1.0-small/train/patient00002/study2/view1_frontal.jpg"), 8, 8, 2);
        Fixtures.image(root.resolve("CheXpert-v1.0-small/train/patient00002/study2/view2_lateral.jpg"), 8, 8, 3);
        Path csv = Fixtures.text(root.resolve("CheXpert-v1.0-small/train.csv"),
                "Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Cardiomegaly,Edema\n"
                        + "CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg,Female,68,Frontal,AP,1.0,,\n"
                        + "CheXpert-v1.0-small/train/patient00002/study2/view1_frontal.jpg,Male,87,Frontal,PA,,-1.0,1.0\n"
                        + "CheXpert-v1.0-small/train/patient00002/study2/view2_lateral.jpg,Male,87,Lateral,,,-1.0,1.0\n");
        Dataset all = CheXpertDataset.load(csv, null, LoadOptions.defaults().withUncertain(UncertainPolicy.IGNORE));
        assertEquals(3, all.size());
        assertEquals(2, all.summary().patients());
        assertEquals("patient00002", all.get(1).patientId());
        assertEquals("patient00002/study2", all.get(1).studyId());
        assertArrayEquals(new float[] {0, N, 1}, all.get(1).labels());
        assertEquals(2, all.summary().uncertain()[1]);
        Dataset frontal = CheXpertDataset.load(csv, null, LoadOptions.defaults().withFrontalOnly(true)
                .withLabels(List.of("Edema", "Cardiomegaly")));
        assertEquals(2, frontal.size());
        assertArrayEquals(new float[] {1, 0}, frontal.get(1).labels(), "subset order; -1 → 0 by default");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheXpertDataset.load(csv, null, LoadOptions.defaults().withLabels(List.of("Pneumonia"))));
        assertTrue(e.getMessage().contains("unknown label 'Pneumonia'") && e.getMessage().contains("Cardiomegaly"), e.getMessage());
    }

    @Test
    void rsnaDeduplicatesPatientsAndFindsImages() throws IOException {
        Path imgs = dir.resolve("rsna");
        Fixtures.image(imgs.resolve("aaa.png"), 8, 8, 1);
        Fixtures.image(imgs.resolve("bbb.jpg"), 8, 8, 2);
        Files.writeString(imgs.resolve("ccc.dcm"), "DICM");
        Path csv = Fixtures.text(dir.resolve("stage_2_train_labels.csv"),
                "patientId,x,y,width,height,Target\naaa,264.0,152.0,213.0,379.0,1\nbbb,,,,,0\naaa,562.0,152.0,256.0,453.0,1\n"
                        + "ccc,,,,,0\nddd,,,,,0\neee,,,,,maybe\n");
        Dataset d = RsnaDataset.load(csv, imgs, LoadOptions.defaults().withFrontalOnly(true));
        assertEquals(List.of("aaa", "bbb"), d.samples().stream().map(Sample::patientId).toList());
        assertArrayEquals(new float[] {1}, d.get(0).labels());
        assertEquals(imgs.resolve("bbb.jpg"), d.get(1).image());
        assertEquals(1, d.summary().notes().get("duplicate patientId rows merged (one image per patient)"));
        assertEquals(1, d.summary().dropped().get("image file missing"));
        assertEquals(1, d.summary().dropped().get("Target not 0 or 1"));
        assertEquals(1, d.summary().dropped().get("DICOM image (convert to PNG or JPEG first)"));
    }

    @Test
    void manifestDropsBadRowsAndNamesMissingColumns() throws IOException {
        Fixtures.image(dir.resolve("imgs/a.png"), 8, 8, 1);
        Fixtures.image(dir.resolve("imgs/b.png"), 8, 8, 2);
        Path csv = Fixtures.text(dir.resolve("m.csv"), "image,patient_id,view,split,Edema\n"
                + "imgs\\a.png,p1,PA,train,1\nimgs/b.png,p2,AP,validate,0\nimgs/b.png,p2,AP,holdout,0\nimgs/c.png,p3,PA,,0\n,p4,PA,,1\n");
        Dataset d = ManifestDataset.load(csv, LoadOptions.defaults());
        assertEquals(2, d.size());
        assertEquals("val", d.get(1).split());
        assertEquals(dir.resolve("imgs/a.png"), d.get(0).image());
        assertEquals(1, d.summary().dropped().get("split value not train, val or test"));
        assertEquals(1, d.summary().dropped().get("image file missing"));
        assertEquals(1, d.summary().dropped().get("empty 'image' value"));
        assertTrue(d.summary().format().contains("m.csv:4 split = 'holdout'"), d.summary().format());

        Path noImage = Fixtures.text(dir.resolve("n.csv"), "file,Edema\na.png,1\n");
        IOException e = assertThrows(IOException.class, () -> ManifestDataset.load(noImage, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("n.csv") && e.getMessage().contains("missing column 'image'"), e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> ManifestDataset.load(dir.resolve("none.csv"), LoadOptions.defaults()));
        assertTrue(missing.getMessage().contains("none.csv"), missing.getMessage());
    }

    /** Found by CsvReadersFuzzTest: a NUL in a path or id threw InvalidPathException, which named no file or row. */
    @Test
    void rowsWhosePathsCannotExistAreDroppedWithTheirLine() throws IOException {
        LoadOptions noStat = LoadOptions.defaults().withCheckFiles(false);
        Path chexpert = Fixtures.text(dir.resolve("cx/CheXpert-v1.0-small/train.csv"), "Path,Sex,Age,Frontal/Lateral,AP/PA,Edema\n"
                + "CheXpert-v1.0-small/train/patient00001/study1/view1.jpg,F,1,Frontal,AP,1.0\n"
                + "CheXpert-v1.0-small/train/patient00002/study1/vi\u0000ew1.jpg,F,1,Frontal,AP,1.0\n");
        Dataset c = CheXpertDataset.load(chexpert, null, noStat);
        assertEquals(1, c.size());
        assertEquals(List.of("train.csv:3"), c.summary().examples().get("Path is not a valid path"));

        Path imgs = Files.createDirectories(dir.resolve("rsna"));
        Path rsna = Fixtures.text(dir.resolve("rsna.csv"), "patientId,Target\naaa,1\nb\u0000b,0\n");
        Dataset r = RsnaDataset.load(rsna, imgs, noStat);
        assertEquals(1, r.size());
        assertEquals(List.of("rsna.csv:3"), r.summary().examples().get("patientId is not valid in a file name"));

        Path root = Files.createDirectories(dir.resolve("mimic-cxr-jpg"));
        Path lt = Fixtures.text(dir.resolve("lt.csv"), "dicom_id,subject_id,study_id,fpath,Edema\n"
                + "d1,10000032,s50414267,files/p10/d1.jpg,1\nd2,10000032,s50414267,files/p10/d\u00002.jpg,1\n"
                + "d3,1000\u00000032,s50414267,files/p10/d3.jpg,1\n");
        Dataset l = CxrLtDataset.load(lt, root, dir.resolve("cx"), ReportText.Section.RAW, noStat);
        assertEquals(2, l.size(), "a NUL in subject_id only makes the report missing");
        assertEquals(List.of("lt.csv:3"), l.summary().examples().get("'fpath' value is not a valid path"));
        assertEquals(2, l.summary().notes().get("report file missing (image kept without text)"));
    }
}
