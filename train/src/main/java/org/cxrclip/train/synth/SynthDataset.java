package org.cxrclip.train.synth;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import javax.imageio.ImageIO;
import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Rng;

/**
 * The synthetic long-tailed chest X-ray benchmark: for a seed, patients with 1–5 images each, labels with the
 * CXR-LT long tail and co-occurrence ({@link CxrLtClasses}), a phantom radiograph per image
 * ({@link Radiograph}) and a report ({@link ReportWriter}). Output: {@code images/NNNNNN.png} (8-bit gray),
 * {@code manifest.csv} (our manifest: {@code image,patient_id,text,<40 labels>}, no split: split by patient
 * downstream) and {@code classes.csv} (name, CXR-LT count, target prevalence, rare flag).
 *
 * <p>Deterministic: everything about image i comes from (seed, i) and its patient's seed, never from thread
 * order, so the files are the same bytes for a seed whatever the number of threads. Every file is written to a
 * temporary name in its directory and renamed into place.
 */
public final class SynthDataset {
    /** What to generate: {@code n} images of {@code size}² pixels, labels with at least {@code minPrevalence} each. */
    public record Options(int n, long seed, int size, double minPrevalence) {
        public Options {
            if (n < 1) throw new IllegalArgumentException("--n must be at least 1, got " + n);
            if (size < 32 || size > 2048) throw new IllegalArgumentException("--size must be in [32, 2048] px, got " + size);
            CxrLtClasses.targets(minPrevalence); // validates the range with a clear message
        }
    }

    /** One image to make: its file (relative to the output folder), patient, seeds, labels and report. */
    public record Item(int index, String image, String patientId, long patientSeed, long imageSeed, float[] labels,
                       String text) {}

    private SynthDataset() {}

    /** Patients, labels and reports for the options, without drawing anything (cheap; sequential). */
    public static List<Item> plan(Options o) {
        Rng patients = new Rng(Rng.hash(o.seed(), 0x9A7L));
        CxrLtClasses.Sampler sampler = CxrLtClasses.sampler(o.minPrevalence());
        List<Item> items = new ArrayList<>(o.n());
        int patient = 0;
        while (items.size() < o.n()) {
            long patientSeed = patients.nextLong();
            int views = 1 + patients.nextInt(5);
            String pid = String.format(Locale.ROOT, "P%06d", patient++);
            for (int k = 0; k < views && items.size() < o.n(); k++) {
                int i = items.size();
                long imageSeed = Rng.hash(o.seed(), 1_000_000_007L + i);
                Rng rng = new Rng(imageSeed);
                float[] y = sampler.sample(rng);
                String text = ReportWriter.write(y, Radiograph.deviceMask(imageSeed), rng);
                items.add(new Item(i, String.format(Locale.ROOT, "images/%06d.png", i), pid, patientSeed, imageSeed, y, text));
            }
        }
        return items;
    }

    /** Draws one planned item. */
    public static Radiograph.Rendered render(Item item, int size) {
        return Radiograph.render(Radiograph.patient(item.patientSeed()), item.labels(), size, item.imageSeed(), true);
    }

    /** Writes images (in parallel), manifest.csv and classes.csv under {@code out}; returns the manifest path. */
    public static Path generate(Path out, Options o, IntConsumer progress) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) throw new IOException(out + ": exists and is not a folder");
        List<Item> items = plan(o);
        Path images = out.resolve("images");
        Files.createDirectories(images);
        AtomicInteger done = new AtomicInteger();
        int step = Math.max(1, o.n() / 100);
        int chunks = Math.min(o.n(), Parallel.threads() * 8); // several per thread: images differ in cost
        Parallel.forChunks(chunks, chunk -> {
            int from = (int) ((long) o.n() * chunk / chunks), to = (int) ((long) o.n() * (chunk + 1) / chunks);
            for (int i = from; i < to; i++) {
                Item it = items.get(i);
                Radiograph.Rendered r = render(it, o.size());
                try {
                    writeAtomically(out.resolve(it.image()), png(r.gray(), r.size()));
                } catch (IOException e) {
                    throw new UncheckedIOException(out.resolve(it.image()) + ": cannot write (" + e.getMessage() + ")", e);
                }
                int d = done.incrementAndGet();
                if (d % step == 0 || d == o.n()) synchronized (progress) {
                    progress.accept(d);
                }
            }
        });
        Path manifest = out.resolve("manifest.csv");
        writeAtomically(manifest, manifestCsv(items).getBytes(StandardCharsets.UTF_8));
        writeAtomically(out.resolve("classes.csv"), classesCsv(o.minPrevalence()).getBytes(StandardCharsets.UTF_8));
        return manifest;
    }

    static String manifestCsv(List<Item> items) {
        StringBuilder sb = new StringBuilder("image,patient_id,text");
        for (String name : CxrLtClasses.names()) sb.append(',').append(quote(name));
        sb.append('\n');
        for (Item it : items) {
            sb.append(it.image()).append(',').append(it.patientId()).append(',').append(quote(it.text()));
            for (float v : it.labels()) sb.append(',').append((int) v);
            sb.append('\n');
        }
        return sb.toString();
    }

    static String classesCsv(double minPrevalence) {
        double[] t = CxrLtClasses.targets(minPrevalence);
        StringBuilder sb = new StringBuilder("name,cxr_lt_count,target_prevalence,rare\n");
        for (CxrLtClasses.CxrClass c : CxrLtClasses.all())
            sb.append(quote(c.name())).append(',').append(c.count()).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", t[c.index()])).append(',').append(c.rare() ? 1 : 0).append('\n');
        return sb.toString();
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** An 8-bit grayscale PNG of a size² row-major image. */
    public static byte[] png(byte[] gray, int size) throws IOException {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, size, size, gray);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size * size / 2 + 1024);
        if (!ImageIO.write(img, "png", bytes)) throw new IOException("no PNG writer in this JDK");
        return bytes.toByteArray();
    }

    /**
     * Temp file + rename, without the fsync of {@link org.cxrclip.engine.io.AtomicFile}: a generated image is never
     * seen half-written, and after a power cut the generator simply runs again (one fsync per image would cost
     * more than drawing it).
     */
    static void writeAtomically(Path file, byte[] data) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, data);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
