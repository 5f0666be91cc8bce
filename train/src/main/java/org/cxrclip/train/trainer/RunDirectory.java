package org.cxrclip.train.trainer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.model.ClipCheckpoint;
import org.cxrclip.clip.weights.SafetensorsReader;
import org.cxrclip.train.optim.OptimizerState;

/**
 * The files of a training run: metrics.jsonl (appended, one JSON object per line and flushed per line, so a
 * crash loses at most the line being written), last.safetensors and state.json (both replaced atomically, so
 * the previous good checkpoint survives a failure while writing the next), and optimizer.safetensors (AdamW's
 * moments, for resuming). Public for the Spark module's data-parallel trainer, whose rank 0 writes the same
 * folder locally and publishes it to the run's Hadoop path.
 */
public final class RunDirectory implements AutoCloseable {
    public static final String METRICS = "metrics.jsonl", CHECKPOINT = "last.safetensors", STATE = "state.json",
            OPTIMIZER = "optimizer.safetensors";

    private final Path dir;
    private final BufferedWriter metrics;

    /** @param append keep the existing metrics (a resumed run) instead of starting the file afresh */
    public RunDirectory(Path dir, boolean append) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IOException(dir + ": exists and is not a folder");
        Files.createDirectories(dir);
        this.dir = dir;
        // A fresh run replaces old metrics: mixing two runs' lines in one file would mislead any plot.
        this.metrics = Files.newBufferedWriter(dir.resolve(METRICS), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    public Path dir() {
        return dir;
    }

    /** What a restored checkpoint says about itself: its step, completed epochs and last.safetensors' metadata. */
    public record Restored(long step, int epochsDone, Map<String, String> metadata) {}

    /**
     * Loads {@code dir}'s last.safetensors into {@code model} and optimizer.safetensors into {@code optimizer}
     * (the pair {@link #checkpoint} writes), after checking that both come from the same optimiser step.
     */
    public static Restored restore(Path dir, Clip model, org.cxrclip.train.optim.Optimizer optimizer) throws IOException {
        Path ckpt = dir.resolve(CHECKPOINT), opt = dir.resolve(OPTIMIZER);
        if (!Files.isRegularFile(ckpt) || !Files.isRegularFile(opt))
            throw new IOException(dir + ": nothing to resume (needs " + CHECKPOINT + " and " + OPTIMIZER + ")");
        Map<String, String> meta = SafetensorsReader.metadata(ckpt);
        long step = OptimizerCheckpoint.parseLong(ckpt, "cxrclip_step", meta.get("cxrclip_step"));
        int epochs = (int) OptimizerCheckpoint.parseLong(ckpt, "cxrclip_epochs_done", meta.get("cxrclip_epochs_done"));
        long optStep = OptimizerCheckpoint.parseLong(ckpt, "cxrclip_optimizer_step", meta.get("cxrclip_optimizer_step"));
        var state = OptimizerCheckpoint.load(opt);
        if (state.step() != optStep)
            throw new IOException(dir + ": " + OPTIMIZER + " is from optimiser step " + state.step() + " but " + CHECKPOINT
                    + " from " + optStep + " (interrupted while saving?)");
        model.loadStateDict(ClipCheckpoint.source(SafetensorsReader.read(ckpt)));
        optimizer.loadState(state);
        return new Restored(step, epochs, meta);
    }

    public void log(Map<String, ?> fields) throws IOException {
        metrics.write(Json.object(fields));
        metrics.write('\n');
        metrics.flush();
    }

    /**
     * Writes optimizer.safetensors, last.safetensors, then state.json; each replaces its predecessor atomically
     * and carries the step, so a resume can tell when a crash left them from different steps.
     */
    public Path checkpoint(Clip model, OptimizerState optimizer, TrainConfig config, int epochsDone, long step, boolean finished)
            throws IOException {
        return checkpoint(model, optimizer, config, epochsDone, step, finished, Map.of());
    }

    /** As above, with extra string metadata in last.safetensors (e.g. the plateau schedule's state). */
    public Path checkpoint(Clip model, OptimizerState optimizer, TrainConfig config, int epochsDone, long step, boolean finished,
            Map<String, String> extraMeta) throws IOException {
        OptimizerCheckpoint.save(optimizer, dir.resolve(OPTIMIZER));
        Path ckpt = dir.resolve(CHECKPOINT);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("cxrclip_epochs_done", Integer.toString(epochsDone));
        meta.put("cxrclip_step", Long.toString(step));
        meta.put("cxrclip_optimizer_step", Long.toString(optimizer.step()));
        meta.put("cxrclip_train_config", Json.object(config.toMap()));
        meta.putAll(extraMeta);
        ClipCheckpoint.save(model, ckpt, meta);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("epoch", epochsDone);
        state.put("step", step);
        state.put("finished", finished);
        state.put("checkpoint", CHECKPOINT);
        state.put("config", config.toMap());
        org.cxrclip.engine.io.AtomicFile.replace(dir.resolve(STATE), Json.object(state) + "\n");
        return ckpt;
    }


    @Override
    public void close() throws IOException {
        metrics.close();
    }
}
