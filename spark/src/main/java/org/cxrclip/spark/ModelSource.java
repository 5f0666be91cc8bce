package org.cxrclip.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipCheckpoint;
import org.cxrclip.engine.backend.Backends;

/**
 * Where a job's CLIP comes from, small enough to ship in a closure instead of the model: a weight file path
 * (readable on every executor: a shared file system, or shipped with {@code spark-submit --files}, found by
 * name through {@link SparkFiles}) or a preset with a seed (random weights, identical on every JVM).
 */
public record ModelSource(String weights, String preset, long seed) implements Serializable {
    public ModelSource {
        if ((weights == null) == (preset == null))
            throw new IllegalArgumentException("give either --weights FILE or --preset NAME (random initialisation)");
    }

    public static ModelSource of(Path weights, String preset, long seed) {
        return new ModelSource(weights == null ? null : weights.toAbsolutePath().toString(), preset, weights == null ? seed : 0);
    }

    Clip load() throws IOException {
        return ClipCheckpoint.loadOrCreate(weights == null ? null : resolve(weights), preset, seed, Backends.defaultBackend());
    }

    /** The path as given when this JVM can read it, else the file of that name shipped with --files. */
    static Path resolve(String weights) throws IOException {
        Path p = Path.of(weights);
        if (Files.isRegularFile(p)) return p;
        try {
            Path shipped = Path.of(SparkFiles.get(p.getFileName().toString()));
            if (Files.isRegularFile(shipped)) return shipped;
        } catch (RuntimeException e) { // no SparkContext/SparkEnv in this JVM: fall through to the error
        }
        throw new IOException(weights + ": weights not found on this machine (use a shared file system path or "
                + "spark-submit --files " + weights + ")");
    }

    public String describe() {
        return weights != null ? weights : "preset " + preset + " seed " + seed;
    }
}
