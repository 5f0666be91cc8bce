package org.cxrclip.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.cxrclip.clip.image.ClipTransform;
import org.cxrclip.clip.image.ImageReadException;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.engine.Autograd;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.ops.Concat;
import org.cxrclip.engine.ops.L2Normalize;
import org.cxrclip.train.data.BatchLoader;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.ImagePipeline;
import org.cxrclip.train.data.LabelText;
import org.cxrclip.train.data.RandomAffine;
import org.cxrclip.train.data.Sample;
import org.cxrclip.train.data.SentenceSubsampler;
import org.cxrclip.train.loss.CxrCmlLoss;
import org.cxrclip.train.loss.InfoNceLoss;
import org.cxrclip.train.loss.TripletLoss;
import org.cxrclip.train.optim.AdamW;
import org.cxrclip.train.optim.GradClip;
import org.cxrclip.train.optim.LrSchedule;
import org.cxrclip.train.optim.OneCycle;
import org.cxrclip.train.optim.WarmupCosine;
import org.cxrclip.train.optim.WeightDecayRule;
import org.cxrclip.train.trainer.PseudoLabeler;
import org.cxrclip.train.trainer.RunDirectory;
import org.cxrclip.train.trainer.TrainConfig;
import org.cxrclip.train.trainer.TrainingDivergedException;

/**
 * One rank of data-parallel contrastive training over a {@link RingCollectives} ring. Every rank holds the same
 * model, visits the same global batches as {@code ContrastiveTrainer} with the same {@code --batch} (the epoch's
 * shuffled order cut into batches of B) and takes rows [r·m/N, (r+1)·m/N) of each batch of m rows.
 *
 * <p>Gradient of the gathered loss. The loss L is the single-machine loss over all m rows: InfoNCE over the
 * m×m similarities (plus, for CML, the triplet term over all m image embeddings). Each rank all-gathers the
 * L2-normalised embeddings, builds L with its own rows as the only ones carrying a graph (the others are
 * constants), and backpropagates: that gives exactly this rank's share ∂L/∂e_r · ∂e_r/∂θ of ∂L/∂θ, because
 * every path from θ to L through rank r's embeddings lies in rank r's graph. Summing over ranks (ring
 * all-reduce) gives ∂L/∂θ. The logit scale enters L directly on every rank, so its gradient is already complete
 * on each: it is divided by N before the sum. Then the same clip, AdamW step and clamp run on every rank, on
 * bit-identical reduced gradients, so the weights stay identical.
 *
 * <p>Rank 0 writes a checkpoint every {@code checkpointEvery} steps and at the end, as {@code cxrclip train}
 * writes one, and publishes it to the run folder, which may be on any Hadoop file system ({@link CheckpointedRun},
 * {@link HadoopRunFolder}). {@link #run} resumes every rank from the last committed checkpoint there, so a failed
 * stage that Spark restarts, on any host, continues where it left off, with the same batches. At the end the run
 * folder holds what a {@code cxrclip train} run folder holds (report.md with loss.png and lr.png, skipped.txt;
 * no validation).
 */
public final class DataParallelTrainer {
    static final String FINAL = RunDirectory.CHECKPOINT, METRICS = RunDirectory.METRICS;

    /**
     * What the run did on this rank: steps [startStep, steps), the losses of the steps taken, the image–text
     * pairs they used over all ranks, the wall time of the step loop (CML refits included, model loading not)
     * and the all-reduce traffic this rank sent.
     */
    public record Result(int rank, long startStep, long steps, List<Float> losses, long pairs, double loopSeconds,
                         long allReduceBytes, long allReduces, double allReduceSeconds, long gradientFloats)
            implements java.io.Serializable {}

    private final Clip model;
    private final SimpleTokenizer tokenizer;
    private final TrainConfig config;
    private final Dataset train;
    private final RingCollectives ring;
    private final HadoopRunFolder out;
    private final Path localRoot;
    private final int checkpointEvery;
    private final AdamW optimizer;
    private final InfoNceLoss infoNce = new InfoNceLoss();
    private final CxrCmlLoss cmlLoss;
    private final SentenceSubsampler subsampler = new SentenceSubsampler();
    private final LabelText labelText = LabelText.defaults();
    private InjectedFailure failure = InjectedFailure.NONE;
    private java.util.function.Consumer<Map<String, float[]>> gradientProbe;

    /** A run folder on a local path (through Hadoop's file: file system, as any other), working files in java.io.tmpdir. */
    public DataParallelTrainer(Clip model, SimpleTokenizer tokenizer, TrainConfig config, Dataset train, RingCollectives ring,
                               Path runDir, int checkpointEvery) throws IOException {
        this(model, tokenizer, config, train, ring, HadoopRunFolder.open(runDir.toString(), new Configuration()),
                Path.of(System.getProperty("java.io.tmpdir")), checkpointEvery);
    }

    /**
     * @param out       the run folder, on any Hadoop file system
     * @param localRoot where this rank keeps its working copy of the run (rank 0) and downloaded checkpoints
     */
    DataParallelTrainer(Clip model, SimpleTokenizer tokenizer, TrainConfig config, Dataset train, RingCollectives ring,
                        HadoopRunFolder out, Path localRoot, int checkpointEvery) {
        if (train.size() < 2) throw new IllegalArgumentException("training needs at least 2 samples, the train split has " + train.size());
        if (config.batch() < ring.size())
            throw new IllegalArgumentException("--batch " + config.batch() + " is smaller than the " + ring.size() + " workers: each needs rows");
        if (checkpointEvery < 1) throw new IllegalArgumentException("--checkpoint-every must be >= 1, got " + checkpointEvery);
        this.model = model;
        this.tokenizer = tokenizer;
        this.config = config;
        this.train = train;
        this.ring = ring;
        this.out = out;
        this.localRoot = localRoot;
        this.checkpointEvery = checkpointEvery;
        // As ContrastiveTrainer: the thesis' AdamW, gains/biases/logit scale not decayed, batch-all triplets.
        this.optimizer = new AdamW(model.namedParameters(), new AdamW.Config(config.lr(), 0.9, 0.98, 1e-6, config.weightDecay()),
                WeightDecayRule.EXCLUDE_GAINS_BIASES);
        this.cmlLoss = new CxrCmlLoss(infoNce, new TripletLoss(config.cml().margin(), TripletLoss.Mining.BATCH_ALL, true),
                config.cml().lambda());
    }

    /** Test hook: this rank fails just before a step (a task or its executor dying mid-stage). */
    public DataParallelTrainer failing(InjectedFailure failure) {
        this.failure = failure;
        return this;
    }

    /** Test hook: sees the summed gradients of every step, before clipping. */
    DataParallelTrainer withGradientProbe(java.util.function.Consumer<Map<String, float[]>> probe) {
        this.gradientProbe = probe;
        return this;
    }

    public Clip model() {
        return model;
    }

    public long stepsPerEpoch() {
        return (train.size() + config.batch() - 1) / config.batch();
    }

    /** Trains (from the last checkpoint in the run folder, if any) until all configured epochs are done. */
    public Result run() throws IOException {
        long perEpoch = stepsPerEpoch(), total = perEpoch * config.epochs();
        LrSchedule schedule = switch (config.schedule()) {
            case ONE_CYCLE -> OneCycle.thesis(config.lr(), total);
            case WARMUP_COSINE -> new WarmupCosine(config.lr(), Math.max(1, total / 20), total, 0);
            case PLATEAU -> throw new IllegalArgumentException(
                    "spark train: the plateau schedule needs per-epoch validation, which data-parallel training does not run; "
                            + "use one-cycle or warmup-cosine");
        };
        try (var files = new CheckpointedRun(out, localRoot, ring.rank(), ring.size())) {
            return train(files, perEpoch, total, schedule);
        }
    }

    private Result train(CheckpointedRun files, long perEpoch, long total, LrSchedule schedule) throws IOException {
        long step = files.resume(model, optimizer);
        agreeOnStart(step);
        long start = step;
        int r = model.config().imageResolution(), dim = model.config().embedDim();
        var pipeline = new ImagePipeline(new ClipTransform(r), config.augment() ? RandomAffine.paper() : null, config.seed());
        List<Float> losses = new ArrayList<>();
        int pseudoEpoch = -1;
        int[] pseudo = null;
        long gradientFloats = 0, pairs = 0;
        for (Tensor p : model.namedParameters().values()) gradientFloats += p.numel();
        long t0 = System.nanoTime();
        while (step < total) {
            failure.beforeStep(step, ring.rank());
            int epoch = (int) (step / perEpoch), bi = (int) (step % perEpoch);
            if (pseudoEpoch != epoch) {
                pseudo = config.clusters(epoch) ? pseudoLabels(epoch) : null; // null: CLS, or CML's warm-up
                pseudoEpoch = epoch;
            }
            int[] order = BatchLoader.order(train.size(), true, config.seed(), epoch);
            int from = bi * config.batch(), m = Math.min(train.size(), from + config.batch()) - from;
            int a = from + (int) ((long) m * ring.rank() / ring.size()), b = from + (int) ((long) m * (ring.rank() + 1) / ring.size());
            // This rank's rows: decode, skipping unreadable images as the loader does.
            int stride = pipeline.stride();
            float[] pixels = new float[(b - a) * stride];
            List<Integer> mine = new ArrayList<>();
            Map<Integer, String> reasons = new LinkedHashMap<>();
            for (int i = a; i < b; i++) {
                int idx = order[i];
                try {
                    pipeline.load(train.get(idx).image(), epoch, idx, pixels, mine.size() * stride);
                    mine.add(idx);
                } catch (ImageReadException | IllegalArgumentException e) {
                    reasons.put(idx, e.getMessage());
                    System.err.println("spark train: rank " + ring.rank() + " skipped " + train.get(idx).image() + ": " + e.getMessage());
                }
            }
            float[][] rowsOf = gatherRows(mine, reasons, files, epoch);
            int rows = 0, before = 0;
            for (int k = 0; k < rowsOf.length; k++) {
                if (k < ring.rank()) before += rowsOf[k].length;
                rows += rowsOf[k].length;
            }
            // Fewer than 2 rows: as the single-machine trainer, no negatives, no step, but the schedule moves on.
            boolean trained = rows >= 2;
            float loss = Float.NaN;
            if (trained) {
                schedule.applyTo(optimizer, step);
                loss = step(pixels, mine, rowsOf, rows, before, pseudo, epoch, dim, r);
                if (!Float.isFinite(loss)) throw new TrainingDivergedException(epoch, step, loss);
                losses.add(loss);
                pairs += rows;
            }
            step++;
            if (ring.rank() == 0) {
                if (trained) files.logStep(epoch, step - 1, loss, optimizer.lr());
                if (step % perEpoch == 0) files.logEpoch(epoch, step);
                if (step % checkpointEvery == 0 || step == total)
                    files.checkpoint(model, optimizer, config, (int) (step / perEpoch), step, step == total, failure);
            }
        }
        if (ring.rank() == 0) files.publish(config, step);
        double loopSeconds = (System.nanoTime() - t0) / 1e9;
        return new Result(ring.rank(), start, step, losses, pairs, loopSeconds, ring.allReduceBytesSent(), ring.allReduceCount(),
                ring.allReduceSeconds(), gradientFloats);
    }

    /**
     * All-gathers every rank's decoded rows (their sample indices, in rank order) and, in the same message, the
     * rows it could not read, sent as −(index + 1); rank 0 lists those in skipped.txt, with the reason where it
     * read the image itself (the other ranks print theirs on their executor's stderr). Returns the decoded rows.
     */
    private float[][] gatherRows(List<Integer> mine, Map<Integer, String> unreadable, CheckpointedRun files, int epoch)
            throws IOException {
        float[] message = new float[mine.size() + unreadable.size()];
        int at = 0;
        for (int idx : mine) message[at++] = idx;
        for (int idx : unreadable.keySet()) message[at++] = -(idx + 1f);
        float[][] all = ring.allGather(message);
        float[][] rowsOf = new float[all.length][];
        for (int k = 0; k < all.length; k++) {
            int kept = 0;
            for (float v : all[k]) if (v >= 0) kept++;
            rowsOf[k] = java.util.Arrays.copyOf(all[k], kept);
            if (ring.rank() != 0) continue;
            for (int j = kept; j < all[k].length; j++) {
                int idx = (int) -all[k][j] - 1;
                files.noteSkipped(train.get(idx).image(), k == 0 ? unreadable.get(idx)
                        : "unreadable on rank " + k + " (epoch " + (epoch + 1) + "; the reason is on that executor's stderr)");
            }
        }
        return rowsOf;
    }

    private float step(float[] pixels, List<Integer> mine, float[][] rowsOf, int rows, int before, int[] pseudo, int epoch,
                       int dim, int r) throws IOException {
        int n = mine.size();
        Tensor imgN = null, txtN = null;
        float[] packed = new float[2 * n * dim];
        if (n > 0) {
            List<String> texts = new ArrayList<>(n);
            for (int idx : mine) texts.add(text(idx, epoch));
            Tensor images = Tensor.of(model.logitScale.backend(), java.util.Arrays.copyOf(pixels, n * 3 * r * r), n, 3, r, r);
            imgN = L2Normalize.normalize(model.encodeImage(images));
            txtN = L2Normalize.normalize(model.encodeText(tokenizer.tokenize(texts, model.config().contextLength(), true)));
            System.arraycopy(imgN.toArray(), 0, packed, 0, n * dim);
            System.arraycopy(txtN.toArray(), 0, packed, n * dim, n * dim);
        }
        float[][] all = ring.allGather(packed);
        // Every rank's rows in rank order; only this rank's carry the graph.
        List<Tensor> imgs = new ArrayList<>(), txts = new ArrayList<>();
        for (int k = 0; k < all.length; k++) {
            int rk = rowsOf[k].length;
            if (rk == 0) continue;
            if (k == ring.rank()) {
                imgs.add(imgN);
                txts.add(txtN);
            } else {
                imgs.add(Tensor.of(model.logitScale.backend(), java.util.Arrays.copyOfRange(all[k], 0, rk * dim), rk, dim));
                txts.add(Tensor.of(model.logitScale.backend(), java.util.Arrays.copyOfRange(all[k], rk * dim, 2 * rk * dim), rk, dim));
            }
        }
        Tensor img = imgs.size() == 1 ? imgs.get(0) : Concat.concat(0, imgs.toArray(Tensor[]::new));
        Tensor txt = txts.size() == 1 ? txts.get(0) : Concat.concat(0, txts.toArray(Tensor[]::new));
        Tensor loss;
        if (pseudo != null) {
            int[] labels = new int[rows];
            int at = 0;
            for (float[] block : rowsOf) for (float idx : block) labels[at++] = pseudo[(int) idx];
            loss = cmlLoss.forward(img, txt, model.logitScale, labels).total();
        } else {
            loss = infoNce.forward(img, txt, model.logitScale);
        }
        float value = loss.item();
        if (!Float.isFinite(value)) return value;
        loss.backward();
        allReduceGradients();
        var params = model.namedParameters();
        if (config.gradClipNorm() > 0) GradClip.clipNorm(params, config.gradClipNorm());
        optimizer.step();
        config.logitScale().apply(model.logitScale);
        optimizer.zeroGrad();
        return value;
    }

    /**
     * Sums every parameter gradient over the ranks in one flat buffer (bucketed by the ring). A rank without rows
     * contributes zeros. The logit scale's gradient is complete on every rank already, so each adds 1/N of it.
     */
    private void allReduceGradients() throws IOException {
        Map<String, Tensor> params = model.namedParameters();
        long total = 0;
        for (Tensor p : params.values()) total += p.numel();
        if (total > Integer.MAX_VALUE) throw new IllegalStateException("gradients of " + total + " floats exceed one buffer");
        float[] flat = new float[(int) total];
        int at = 0;
        for (Tensor p : params.values()) {
            Tensor g = p.grad();
            if (g != null) {
                float[] v = g.toArray();
                if (p == model.logitScale) for (int i = 0; i < v.length; i++) v[i] /= ring.size();
                System.arraycopy(v, 0, flat, at, v.length);
            }
            at += p.numel();
        }
        ring.allReduceSum(flat);
        if (gradientProbe != null) {
            Map<String, float[]> seen = new LinkedHashMap<>();
            int off = 0;
            for (var e : params.entrySet()) {
                seen.put(e.getKey(), java.util.Arrays.copyOfRange(flat, off, off + e.getValue().numel()));
                off += e.getValue().numel();
            }
            gradientProbe.accept(seen);
        }
        at = 0;
        try (var ng = Autograd.noGrad()) {
            for (Tensor p : params.values()) {
                float[] v = java.util.Arrays.copyOfRange(flat, at, at + p.numel());
                p.zeroGrad();
                p.accumulateGrad(Tensor.of(p.backend(), v, p.shape()));
                at += p.numel();
            }
        }
    }

    /**
     * CML's refit at an epoch start: every rank embeds its shard of the train split ({@link #embeddingShard}),
     * the shards are all-gathered in split order, rank 0 fits the mixture and its labels go round the ring.
     * One rank fits rather than all: the labels are then the same on every rank by construction, even on
     * executors whose SIMD width or thread count differ, and the other ranks' cores stay free (on a machine
     * that they share, as local-cluster, a fit on every rank would only compete for them).
     */
    private int[] pseudoLabels(int epoch) throws IOException {
        PseudoLabeler.Embeddings all = gatherEmbeddings(epoch);
        float[] mine = new float[0];
        if (ring.rank() == 0) {
            int[] labels = PseudoLabeler.fit(all, config, epoch, 0).labels();
            mine = new float[labels.length];
            for (int i = 0; i < labels.length; i++) mine[i] = labels[i];
        }
        float[] got = ring.allGather(mine)[0];
        int[] labels = new int[got.length];
        for (int i = 0; i < got.length; i++) labels[i] = (int) got[i];
        return labels;
    }

    /**
     * Rank r's rows [from, to) of the train split for embedding: whole batches of {@code --batch}, batches
     * [r·nb/N, (r+1)·nb/N) of the nb = ⌈n/B⌉, so that each batch is the one a single-machine pass embeds.
     */
    static int[] embeddingShard(int n, int batch, int rank, int workers) {
        long nb = (n + (long) batch - 1) / batch;
        long lo = nb * rank / workers, hi = nb * (rank + 1) / workers;
        return new int[] {(int) Math.min(n, lo * batch), (int) Math.min(n, hi * batch)};
    }

    /** Every rank's shard embedded by that rank, all-gathered: the whole split's embeddings on every rank. */
    PseudoLabeler.Embeddings gatherEmbeddings(int epoch) throws IOException {
        int n = train.size(), d = model.config().embedDim();
        int[] shard = embeddingShard(n, config.batch(), ring.rank(), ring.size());
        PseudoLabeler.Embeddings own = PseudoLabeler.embed(model, train, config, epoch, shard[0], shard[1]);
        // One block per rank: (rows) readable flags, then (rows, d) embeddings.
        int rows = own.size();
        float[] block = new float[rows * (d + 1)];
        for (int i = 0; i < rows; i++) block[i] = own.seen()[i] ? 1f : 0f;
        System.arraycopy(own.x(), 0, block, rows, rows * d);
        float[][] blocks = ring.allGather(block);
        float[] x = new float[n * d];
        boolean[] seen = new boolean[n];
        for (int k = 0; k < blocks.length; k++) {
            int[] s = embeddingShard(n, config.batch(), k, ring.size());
            int len = s[1] - s[0];
            if (blocks[k].length != len * (d + 1))
                throw new IllegalStateException("rank " + k + " sent " + blocks[k].length + " floats for rows [" + s[0] + ", " + s[1] + ")");
            for (int i = 0; i < len; i++) seen[s[0] + i] = blocks[k][i] != 0f;
            System.arraycopy(blocks[k], len, x, s[0] * d, len * d);
        }
        return new PseudoLabeler.Embeddings(0, d, x, seen);
    }

    /** As ContrastiveTrainer: the report (sentence-subsampled when augmenting) or the meta-label sentence. */
    private String text(int index, int epoch) {
        Sample s = train.get(index);
        if (config.textSource() == TrainConfig.TextSource.META_LABELS) return labelText.text(s.labels(), train.labelNames());
        String t = s.text() == null ? "" : s.text();
        if (t.isBlank()) throw new IllegalArgumentException("sample " + index + " (" + s.image() + ") has no report text; use --text meta-labels");
        if (!config.augment()) return t;
        String sub = subsampler.apply(t, SentenceSubsampler.seed(config.seed(), epoch, index));
        return sub.isBlank() ? t : sub;
    }

    /**
     * Every rank reads the run folder on its own: all check that they found the same step. They could differ
     * only if a zombie task of a failed attempt committed in between; then this attempt fails and Spark retries.
     */
    private void agreeOnStart(long step) throws IOException {
        // The step as two exact 24-bit halves (a float holds integers up to 2^24 exactly).
        float[][] seen = ring.allGather(new float[] {step >>> 24, step & 0xFFFFFF});
        for (int k = 0; k < seen.length; k++) {
            long theirs = (long) seen[k][0] << 24 | (long) seen[k][1];
            if (theirs != step)
                throw new IllegalStateException("rank " + ring.rank() + " resumes from step " + step + " but rank " + k + " from step "
                        + theirs + ": the run folder changed while they read it");
        }
    }
}
