package org.cxrclip.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cxrclip.clip.image.ClipTransform;
import org.cxrclip.engine.Rng;
import org.cxrclip.train.data.BatchLoader;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.ImagePipeline;
import org.cxrclip.train.data.ImagePreparer;
import org.cxrclip.train.data.LoadOptions;
import org.cxrclip.train.data.ManifestDataset;
import org.cxrclip.train.data.RandomAffine;
import org.cxrclip.train.data.Sample;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Training-input throughput: one epoch of decode + CLIP resize/crop to 224 + paper augmentation through
 * {@link BatchLoader} (batch 32, {@code threads} loader threads, prefetch 2). Score = ms per epoch; images/s =
 * images / (score / 1000). Sources: {@code nih}: the 621 256-px PNGs of ../shared/data/nih-cxr14 (needs
 * -Dcxrclip.shared or CXRCLIP_SHARED); {@code full-jpeg}: 16 generated 2500×3000 gray JPEGs (MIMIC-size);
 * {@code prepared}: the same JPEGs (quality 0.95, ~1.6 MB each) after {@code data prepare}'s shrink (shorter side 256, PNG).
 * Run: java --add-modules jdk.incubator.vector -Dcxrclip.shared=../shared -jar tests/target/benchmarks.jar ImagePipeline -f 1 -wi 1 -i 3
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ImagePipelineBenchmark {
    @Param({"nih", "full-jpeg", "prepared"})
    public String source;

    @Param({"2"})
    public int threads;

    private Dataset data;
    private ImagePipeline pipeline;
    private Path tmp;
    private int epoch;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        pipeline = new ImagePipeline(new ClipTransform(224), RandomAffine.paper(), 1);
        if (source.equals("nih")) {
            String shared = System.getProperty("cxrclip.shared", System.getenv("CXRCLIP_SHARED"));
            if (shared == null) throw new IllegalStateException("set -Dcxrclip.shared=../shared for the nih source");
            data = ManifestDataset.load(Path.of(shared, "data/nih-cxr14/labels.csv"), LoadOptions.defaults());
            return;
        }
        tmp = Files.createTempDirectory("cxrclip-bench");
        List<Sample> samples = new ArrayList<>();
        ImagePreparer prep = new ImagePreparer(256, ImagePreparer.Side.SHORTER);
        for (int i = 0; i < 16; i++) {
            Path jpg = tmp.resolve("full" + i + ".jpg");
            writeJpeg(xrayLike(2500, 3000, i), jpg);
            Path img = jpg;
            if (source.equals("prepared")) {
                img = tmp.resolve("small" + i + ".png");
                prep.prepare(jpg, img);
            }
            samples.add(new Sample(i, img, "p" + i, null, null, null, null, new float[0]));
        }
        data = new Dataset(List.of(), samples, null);
    }

    /** Smooth gray structure plus mild noise, so the JPEG compresses like a radiograph, not like white noise. */
    public static BufferedImage xrayLike(int w, int h, long seed) {
        Rng r = new Rng(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 128 + 60 * Math.sin(x / 180.0 + seed) * Math.cos(y / 240.0) + 30 * Math.sin((x + y) / 55.0);
                row[x] = (int) Math.max(0, Math.min(255, v + 10 * (r.nextDouble() - 0.5)));
            }
            img.getRaster().setSamples(0, y, w, 1, 0, row);
        }
        return img;
    }

    /** JPEG at quality 0.95, as MIMIC-CXR-JPG (about 1–2 MB per 2500×3000 image). */
    public static void writeJpeg(BufferedImage img, Path file) throws IOException {
        javax.imageio.ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        javax.imageio.ImageWriteParam p = w.getDefaultWriteParam();
        p.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(0.95f);
        try (var out = ImageIO.createImageOutputStream(file.toFile())) {
            w.setOutput(out);
            w.write(null, new javax.imageio.IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (tmp == null) return;
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Benchmark
    public int epoch() {
        int n = 0;
        try (BatchLoader l = new BatchLoader(data, pipeline, 32, epoch++, true, 7, threads, 2)) {
            while (l.hasNext()) n += l.next().size();
        }
        return n;
    }
}
