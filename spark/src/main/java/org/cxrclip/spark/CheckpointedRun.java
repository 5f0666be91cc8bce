package org.cxrclip.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.train.optim.AdamW;
import org.cxrclip.train.report.MetricsLog;
import org.cxrclip.train.report.RunReport;
import org.cxrclip.train.report.SkippedImages;
import org.cxrclip.train.trainer.RunDirectory;
import org.cxrclip.train.trainer.TrainConfig;

/**
 * One rank's side of a data-parallel run's files: a local working folder, and the {@link HadoopRunFolder} the
 * run is published to. Every rank resumes from the last checkpoint committed there. Rank 0 alone writes: a
 * {@link RunDirectory} in its working folder (metrics.jsonl; last.safetensors, optimizer.safetensors and
 * state.json as {@code cxrclip train} writes them), each checkpoint uploaded and committed, and at the end the
 * finished run with its report. metrics.jsonl and skipped.txt travel with the checkpoint, so after a resume the
 * first holds each step once (the steps that led to the weights), a "resume" line says where the retry began, and
 * the second still lists the images the first attempt could not read.
 */
final class CheckpointedRun implements AutoCloseable {
    /** What a checkpoint holds, and what the finished run folder holds. */
    private static final List<String> CHECKPOINT_FILES = List.of(RunDirectory.OPTIMIZER, RunDirectory.CHECKPOINT,
            RunDirectory.STATE, RunDirectory.METRICS, RunReport.SKIPPED);
    private static final List<String> FINAL_FILES = List.of(RunDirectory.METRICS, RunReport.REPORT, RunReport.LOSS, RunReport.LR,
            RunReport.SKIPPED, RunDirectory.OPTIMIZER, RunDirectory.CHECKPOINT, RunDirectory.STATE);

    private final HadoopRunFolder out;
    private final Path work;
    private final int rank, workers;
    private HadoopRunFolder.Checkpoint resumed;
    private RunDirectory run; // rank 0, after resume
    private final SkippedImages skipped = new SkippedImages(); // rank 0

    /** @param localRoot where the working folder is made (and deleted on close) */
    CheckpointedRun(HadoopRunFolder out, Path localRoot, int rank, int workers) throws IOException {
        this.out = out;
        this.rank = rank;
        this.workers = workers;
        this.work = Files.createTempDirectory(Files.createDirectories(localRoot), "cxrclip-train-rank" + rank + "-");
    }

    /**
     * Loads the last committed checkpoint, if any, into the model and AdamW (rank 0 also takes its other files,
     * metrics.jsonl to continue it); returns its step, 0 for a new run. Rank 0 then starts logging.
     */
    long resume(Clip model, AdamW optimizer) throws IOException {
        resumed = out.latest();
        long step = 0;
        if (resumed != null) {
            out.fetch(resumed, work, rank == 0 ? resumed.files().keySet() : List.of(RunDirectory.CHECKPOINT, RunDirectory.OPTIMIZER));
            step = RunDirectory.restore(work, model, optimizer).step();
            if (step != resumed.step())
                throw new IOException(resumed.folder() + ": committed as step " + resumed.step() + " but holds step " + step);
            if (rank != 0) {
                Files.delete(work.resolve(RunDirectory.CHECKPOINT));
                Files.delete(work.resolve(RunDirectory.OPTIMIZER));
            }
        }
        if (rank == 0) {
            skipped.readFrom(work);
            run = new RunDirectory(work, resumed != null);
            if (resumed != null && !resumed.finished()) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("type", "resume");
                line.put("step", step);
                line.put("workers", workers);
                run.log(line);
            }
        }
        return step;
    }

    /** Rank 0: an image some rank could not read (listed once, with the first reason). */
    void noteSkipped(Path image, String reason) {
        writer();
        skipped.note(image, reason);
    }

    void logStep(int epoch, long step, float loss, double lr) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "step");
        line.put("epoch", epoch);
        line.put("step", step);
        line.put("loss", loss);
        line.put("lr", lr);
        line.put("workers", workers);
        writer().log(line);
    }

    /** The epoch's line, as 'cxrclip train' writes it, from its step lines in metrics.jsonl (a resume may have split them). */
    void logEpoch(int epoch, long stepsDone) throws IOException {
        double sum = 0;
        int n = 0;
        for (var o : MetricsLog.read(work.resolve(RunDirectory.METRICS)).steps())
            if (o.get("epoch").getAsInt() == epoch && !Double.isNaN(MetricsLog.number(o, "loss"))) {
                sum += MetricsLog.number(o, "loss");
                n++;
            }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "epoch");
        line.put("epoch", epoch);
        line.put("steps_done", stepsDone);
        line.put("steps", n);
        line.put("mean_loss", n == 0 ? Double.NaN : sum / n);
        // Every epoch visits every row, so the distinct unreadable images so far are this epoch's skipped ones.
        line.put("skipped_images", skipped.size());
        line.put("workers", workers);
        writer().log(line);
    }

    /**
     * Writes the checkpoint of {@code step} locally, uploads it to the run folder, commits it (after {@code failure}'s
     * test hook), then deletes older ones: a crash at any point leaves the last committed checkpoint whole.
     */
    void checkpoint(Clip model, AdamW optimizer, TrainConfig config, int epochsDone, long step, boolean finished,
                    InjectedFailure failure) throws IOException {
        writer().checkpoint(model, optimizer.state(), config, epochsDone, step, finished,
                Map.of("cxrclip_workers", Integer.toString(workers)));
        skipped.write(work);
        HadoopRunFolder.Checkpoint uploaded = out.upload(step, work, CHECKPOINT_FILES);
        failure.beforeCommit(step, rank);
        out.commit(uploaded);
        out.prune(uploaded);
        out.publishProgress(work.resolve(RunDirectory.METRICS));
    }

    /** Writes the report and publishes the finished run (its last checkpoint being that of {@code step}), unless it was already. */
    void publish(TrainConfig config, long step) throws IOException {
        writer();
        if (resumed != null && resumed.finished()) return;
        Map<String, Object> shown = new LinkedHashMap<>(config.toMap());
        shown.put("workers", workers);
        skipped.write(work);
        new RunReport(work, shown, skipped.asMap()).write(null, null, null);
        out.publishFinal(step, work, FINAL_FILES);
    }

    private RunDirectory writer() {
        if (run == null) throw new IllegalStateException("rank " + rank + " does not write the run folder, or has not resumed yet");
        return run;
    }


    @Override
    public void close() throws IOException {
        try {
            if (run != null) run.close();
        } finally {
            try (var paths = Files.walk(work)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
