package org.cxrclip.train.trainer;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.cxrclip.engine.Rng;

/**
 * A tiny labelled data set where one label is easy to learn: 32×32 gray noise images, "Square" positive ones
 * with a bright 12×12 square in the centre; "Coin" is a fair coin, independent of the pixels. Rows alternate
 * labels so every split holds both classes. Optionally one unreadable file ("broken.png") in the train split.
 */
final class SquareImages {
    private SquareImages() {}

    /** Writes the images and manifest.csv (image, patient_id, split, Square, Coin) into {@code dir}; returns the CSV. */
    static Path write(Path dir, int train, int val, int test, boolean broken, long seed) throws IOException {
        Files.createDirectories(dir);
        Rng rng = new Rng(seed);
        List<String> rows = new ArrayList<>();
        rows.add("image,patient_id,split,Square,Coin");
        int n = train + val + test;
        for (int i = 0; i < n; i++) {
            boolean square = i % 2 == 0;
            int coin = rng.nextInt(2);
            BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++) {
                    int v = 60 + rng.nextInt(60);
                    if (square && x >= 10 && x < 22 && y >= 10 && y < 22) v = 240;
                    img.getRaster().setSample(x, y, 0, v);
                }
            String name = "img" + i + ".png";
            ImageIO.write(img, "png", dir.resolve(name).toFile());
            String split = i < train ? "train" : i < train + val ? "val" : "test";
            rows.add(name + ",p" + i + "," + split + "," + (square ? 1 : 0) + "," + coin);
        }
        if (broken) {
            Files.write(dir.resolve("broken.png"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            rows.add("broken.png,pbroken,train,1,0");
        }
        Path csv = dir.resolve("manifest.csv");
        Files.write(csv, rows);
        return csv;
    }
}
