package org.cxrclip.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cxrclip.clip.embed.ClipEncoder;
import org.cxrclip.clip.image.ClipTransform;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipPresets;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.backend.Backends;

/** A manifest of small noise images (one of them not an image) and the single-machine answers for it. */
final class InferenceFixture {
    static final int IMAGES = 7, BAD_ROW = 4;

    private InferenceFixture() {}

    /** image,A,B manifest with IMAGES rows; row BAD_ROW is a text file named .png. */
    static Path manifest(Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("image,Atelectasis,Pleural Effusion\n");
        for (int i = 0; i < IMAGES; i++) {
            Path p = dir.resolve("img").resolve("x" + i + ".png");
            Files.createDirectories(p.getParent());
            if (i == BAD_ROW) Files.writeString(p, "not an image");
            else writeNoise(p, 30 + 3 * i, 40 - i, 100 + i);
            csv.append("img/x").append(i).append(".png,").append(i % 2).append(',').append((i / 2) % 2).append('\n');
        }
        Path m = dir.resolve("manifest.csv");
        Files.writeString(m, csv);
        return m;
    }

    private static void writeNoise(Path p, int w, int h, long seed) throws IOException {
        Rng r = new Rng(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, r.nextInt(256));
        ImageIO.write(img, "png", p.toFile());
    }

    /** cxrclip embed's features for the readable rows, computed in this JVM with no Spark. */
    static ClipEncoder.ImageFeatures singleMachine(Path manifest, long seed) throws IOException {
        Clip clip = new Clip(Backends.defaultBackend(), ClipPresets.get("tiny"), seed);
        List<Path> files = new ArrayList<>();
        for (var e : org.cxrclip.train.data.Manifest.read(manifest, List.of()).entries()) files.add(e.image());
        return new ClipEncoder(clip, 3).encodeImages(files, new ClipTransform(32), null);
    }

    static List<Row> readSorted(SparkSession spark, String dir) {
        return spark.read().parquet(dir).orderBy("row").collectAsList();
    }

    static float[] embedding(Row r) {
        List<Float> l = r.getList(r.fieldIndex("embedding"));
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = l.get(i);
        return out;
    }
}
