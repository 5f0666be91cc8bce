package org.cxrclip.train.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;
import org.cxrclip.engine.testing.MutationFuzzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of the CSV readers (see {@link MutationFuzzer}): for any bytes, a reader returns a data set
 * (bad rows dropped and counted) or throws an IOException (or, for a label the caller asked for, an
 * IllegalArgumentException) whose message names the CSV. Seeds are the schemas of {@link DatasetReadersTest};
 * the first input byte picks plain or gzip, the mutations aim at quotes, line ends, byte-order marks, NULs and
 * malformed UTF-8.
 */
class CsvReadersFuzzTest {
    private static final Path REPLAY = Path.of("src/test/resources/fuzz/csv");
    private static final String[] TOKENS = {"\"", ",", "\n", "\r\n", "\r", "\"\"", "\u00ef\u00bb\u00bf", "\u0000", "\\", "..",
        "/", "-1", "1.0", "nan", "1e40", "train", "validate", "image", "patient_id", "split", "Path", "patientId", "Target",
        "\u00ff", "\u00c3", "\u00e2\u0082", "\u00ed\u00a0\u0080", ",,,,,,,,,,,,,,,,", "\"\n\"\n\"\n"};

    @TempDir
    Path dir;

    @Test
    void manifest() {
        Path csv = dir.resolve("labels.csv");
        fuzzer("manifest", "image,patient_id,split,text,view,Atelectasis,Edema\n"
                + "a.png,p1,train,\"Heart \"\"normal\"\",\nno effusion\",PA,1,\n"
                + "sub\\b.png,p2,val,,AP,0,-1\n,p3,test,x,LATERAL,1.0,0\nc.png,p4,validate,,,yes,1\n")
                .run(input -> {
                    Path f = write(csv, input);
                    ManifestDataset.load(f, LoadOptions.defaults());
                    Manifest.read(f);
                }, namesTheFile(csv));
    }

    @Test
    void chexpert() {
        Path csv = dir.resolve("CheXpert-v1.0-small/train.csv");
        fuzzer("chexpert", "Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Cardiomegaly,Edema\n"
                + "CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg,Female,68,Frontal,AP,1.0,,\n"
                + "CheXpert-v1.0-small/train/patient00002/study2/view2_lateral.jpg,Male,87,Lateral,,,-1.0,1.0\n"
                + "CheXpert-v1.0-small/valid/nopatient/view1.jpg,Male,1,Frontal,PA,0.0,0.0,2.0\n")
                .run(input -> CheXpertDataset.load(write(csv, input), null,
                        LoadOptions.defaults().withFrontalOnly(true)), namesTheFile(csv));
    }

    @Test
    void rsna() throws IOException {
        Path csv = dir.resolve("stage_2_train_labels.csv");
        Path images = Files.createDirectories(dir.resolve("rsna"));
        Files.writeString(images.resolve("aaa.dcm"), "DICM");
        fuzzer("rsna", "patientId,x,y,width,height,Target\naaa,264.0,152.0,213.0,379.0,1\naaa,562.0,152.0,256.0,453.0,1\n"
                + "bbb,,,,,0\nccc,,,,,1\n,,,,,0\nddd,,,,,maybe\n")
                .run(input -> RsnaDataset.load(write(csv, input), images, LoadOptions.defaults()), namesTheFile(csv));
    }

    @Test
    void cxrLt() throws IOException {
        Path csv = dir.resolve("train_labeled.csv");
        Path root = Files.createDirectories(dir.resolve("mimic-cxr-jpg"));
        Path reports = Files.createDirectories(dir.resolve("reports/files/p10/p10000032"));
        Files.writeString(reports.resolve("s50414267.txt"), "FINDINGS: normal.\n IMPRESSION: No acute process.\n");
        fuzzer("cxr-lt", "dicom_id,subject_id,study_id,ViewPosition,ViewCodeSequence_CodeMeaning,fpath,Adenopathy,Atelectasis\n"
                + "d1,10000032,s50414267,PA,postero-anterior,files/p10/p10000032/s50414267/d1.jpg,1,0\n"
                + "d3,10000032,s53189527,,antero-posterior,files\\p10\\p10000032\\s53189527\\d3.jpg,0,1\n"
                + "d6,p1,s,,,files/p11/d6.jpg,0,-1\n")
                .run(input -> CxrLtDataset.load(write(csv, input), root, dir.resolve("reports"), ReportText.Section.IMPRESSION,
                        LoadOptions.defaults().withFrontalOnly(true)), namesTheFile(csv));
    }

    /** The first input byte also picks which of MIMIC's three CSVs is the mutated one; the other two stay valid. */
    @Test
    void mimic() throws IOException {
        Path root = Files.createDirectories(dir.resolve("mimic"));
        String[] names = {"mimic-cxr-2.0.0-metadata.csv", "mimic-cxr-2.0.0-split.csv", "mimic-cxr-2.0.0-chexpert.csv"};
        String[] valid = {"dicom_id,subject_id,study_id,ViewPosition,ViewCodeSequence_CodeMeaning\n"
                + "a,10000032,50414267,PA,postero-anterior\nb,10000032,50414267,LATERAL,lateral\nc,1,52000001,,\n",
            "dicom_id,study_id,subject_id,split\na,50414267,10000032,train\nc,52000001,1,validate\n",
            "subject_id,study_id,Atelectasis,No Finding\n10000032,50414267,1.0,\n1,52000001,,1.0\n"};
        MutationFuzzer f = MutationFuzzer.named("mimic").dictionary(TOKENS).replay(REPLAY.resolve("mimic")).cases(1500);
        for (int k = 0; k < 3; k++) {
            f.seed(tagged(2 * k, valid[k].getBytes(StandardCharsets.UTF_8)));
        }
        f.run(input -> {
            if (input.length == 0) {
                return;
            }
            int which = ((input[0] & 0xff) >> 1) % 3;
            for (int k = 0; k < 3; k++) {
                Files.deleteIfExists(root.resolve(names[k]));
                Files.deleteIfExists(root.resolve(names[k] + ".gz"));
                if (k != which) {
                    Files.writeString(root.resolve(names[k]), valid[k]);
                }
            }
            write(root.resolve(names[which]), input);
            MimicCxrDataset.load(root, "chexpert", null, ReportText.Section.CLEANED, LoadOptions.defaults());
        }, t -> (t instanceof IOException || t instanceof IllegalArgumentException) && t.getMessage() != null
                && t.getMessage().contains(root.getFileName() + "/mimic-cxr-2.0.0-"));
    }

    private MutationFuzzer fuzzer(String name, String seedCsv) {
        byte[] b = seedCsv.getBytes(StandardCharsets.UTF_8);
        return MutationFuzzer.named(name).seed(tagged(0, b), tagged(1, b)).dictionary(TOKENS)
                .replay(REPLAY.resolve(name)).cases(1500);
    }

    private static Predicate<Throwable> namesTheFile(Path csv) {
        return t -> (t instanceof IOException || t instanceof IllegalArgumentException) && t.getMessage() != null
                && t.getMessage().contains(csv.getFileName().toString());
    }

    /** Writes the input after its first byte to {@code csv}, gzipped (as {@code csv}.gz) when that byte is odd. */
    private static Path write(Path csv, byte[] input) throws IOException {
        Files.createDirectories(csv.toAbsolutePath().getParent());
        if (input.length == 0) {
            return Files.write(csv, input);
        }
        byte[] body = java.util.Arrays.copyOfRange(input, 1, input.length);
        if ((input[0] & 1) == 0) {
            return Files.write(csv, body);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(out)) {
            z.write(body);
        }
        byte[] gz = out.toByteArray();
        // Damage the gzip stream itself now and then: the input's last byte decides how much survives.
        if (body.length > 0 && (body[body.length - 1] & 7) == 0) {
            gz = java.util.Arrays.copyOf(gz, (body[body.length - 1] & 0xff) % gz.length);
        }
        return Files.write(csv.resolveSibling(csv.getFileName() + ".gz"), gz);
    }

    private static byte[] tagged(int tag, byte[] b) {
        byte[] out = new byte[b.length + 1];
        out[0] = (byte) tag;
        System.arraycopy(b, 0, out, 1, b.length);
        return out;
    }
}
