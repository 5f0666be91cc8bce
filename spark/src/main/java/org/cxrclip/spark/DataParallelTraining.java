package org.cxrclip.spark;

import java.io.IOException;
import java.io.Serializable;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.cxrclip.clip.model.Clip;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.LoadOptions;
import org.cxrclip.train.data.ManifestDataset;
import org.cxrclip.train.data.PatientSplits;
import org.cxrclip.train.data.Sample;
import org.cxrclip.train.trainer.TrainConfig;

/**
 * Data-parallel training as one Spark barrier stage with one task per worker: the tasks start together, swap
 * host:port through {@code BarrierTaskContext.allGather} (the only barrier call, made once by every rank), join
 * a {@link RingCollectives} ring and run {@link DataParallelTrainer}. The stage ends in a shuffle so that it is a
 * map stage, which Spark retries as a whole when a task fails (a failed barrier result stage is not retried):
 * every retry, on whatever executors, resumes from the last checkpoint committed in the run folder (any Hadoop
 * file system: see {@link HadoopRunFolder}).
 */
public final class DataParallelTraining {
    /** Everything a rank needs, without the model: rebuilt on each executor. {@code runDir}: a path or Hadoop URI. */
    public record Spec(TrainConfig.Mode mode, ModelSource model, String manifest, String vocab, String runDir, int workers,
                       int epochs, int batch, double lr, boolean augment, TrainConfig.TextSource text, int checkpointEvery,
                       InjectedFailure failure) implements Serializable {
        TrainConfig config() {
            return TrainConfig.defaults(mode).withEpochs(epochs).withBatch(batch).withLr(lr).withSeed(model.seed())
                    .withAugment(augment).withTextSource(text).withLoaderThreads(1);
        }

        Spec withRunDir(String dir) {
            return new Spec(mode, model, manifest, vocab, dir, workers, epochs, batch, lr, augment, text, checkpointEvery, failure);
        }
    }

    private DataParallelTraining() {}

    /** Barrier mode's limits, checked before any task starts. */
    static void checkBarrierLimits(SparkSession spark, Spec spec) {
        SparkConf conf = spark.sparkContext().getConf();
        if (spec.workers() < 1) throw new IllegalArgumentException("--workers must be >= 1, got " + spec.workers());
        if (conf.getBoolean("spark.dynamicAllocation.enabled", false))
            throw new IllegalArgumentException("spark.dynamicAllocation.enabled=true: barrier mode needs a fixed set of executors; "
                    + "run with --conf spark.dynamicAllocation.enabled=false");
        int slots = spark.sparkContext().defaultParallelism() / Math.max(1, conf.getInt("spark.task.cpus", 1));
        if (spec.workers() > slots)
            throw new IllegalArgumentException("--workers " + spec.workers() + " but the cluster offers " + slots
                    + " task slots (executor cores / spark.task.cpus): barrier mode starts all workers at once");
        if (spec.batch() < spec.workers())
            throw new IllegalArgumentException("--batch " + spec.batch() + " is smaller than --workers " + spec.workers());
        if (spec.checkpointEvery() < 1) throw new IllegalArgumentException("--checkpoint-every must be >= 1");
        spec.config(); // validates the training options on the driver
    }

    public static List<DataParallelTrainer.Result> run(SparkSession spark, Spec given) throws IOException {
        checkBarrierLimits(spark, given);
        // A plain path means the same folder on every executor: made absolute here, on the driver.
        Spec spec = given.withRunDir(HadoopRunFolder.uri(given.runDir()));
        HadoopRunFolder.open(spec.runDir(), spark.sparkContext().hadoopConfiguration()).create();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> ranks = new ArrayList<>();
        for (int r = 0; r < spec.workers(); r++) ranks.add(r);
        scala.reflect.ClassTag<DataParallelTrainer.Result> tag = scala.reflect.ClassTag$.MODULE$.apply(DataParallelTrainer.Result.class);
        RankFunction f = it -> scala.jdk.javaapi.CollectionConverters.asScala(rank(spec));
        var trained = jsc.parallelize(ranks, spec.workers()).rdd().barrier().mapPartitions(f, false, tag);
        return org.apache.spark.api.java.JavaRDD.fromRDD(trained, tag).repartition(1).collect();
    }

    /** The barrier stage's task body as Scala sees it (RDDBarrier has no Java-friendly overload). */
    interface RankFunction extends scala.Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<DataParallelTrainer.Result>>,
            Serializable {
        scala.collection.Iterator<DataParallelTrainer.Result> call(scala.collection.Iterator<Integer> ranks) throws IOException;

        @Override
        default scala.collection.Iterator<DataParallelTrainer.Result> apply(scala.collection.Iterator<Integer> ranks) {
            try {
                return call(ranks);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** One rank, on an executor. */
    static Iterator<DataParallelTrainer.Result> rank(Spec spec) throws IOException {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId();
        String host = SparkEnv.get().blockManager().blockManagerId().host();
        try (ServerSocket server = new ServerSocket(0)) {
            List<String> addresses = Arrays.asList(ctx.allGather(host + ":" + server.getLocalPort()));
            try (RingCollectives ring = RingCollectives.join(rank, addresses, server, RingCollectives.DEFAULT_BUCKET_FLOATS, 120_000)) {
                Clip model = spec.model().load(); // a fresh copy: training changes it (never the shared inference model)
                SimpleTokenizer tokenizer = SimpleTokenizer.load(ModelSource.resolve(spec.vocab()));
                Dataset train = trainSplit(ManifestDataset.load(Path.of(spec.manifest()), LoadOptions.defaults().withLog(null)),
                        spec.model().seed());
                var out = HadoopRunFolder.open(spec.runDir(), SparkSessions.hadoopConfiguration());
                // Working files where Spark keeps its own (spark.local.dir, or YARN's container folders).
                Path local = localDir(SparkEnv.get().conf(), System.getenv());
                var trainer = new DataParallelTrainer(model, tokenizer, spec.config(), train, ring, out, local, spec.checkpointEvery());
                // The test hook fails only the stage's first attempt, so the retry shows the restart. The attempt
                // number comes from the driver: it survives the executor JVM that a HALT_JVM failure ends.
                if (spec.failure().active() && ctx.stageAttemptNumber() == 0 && rank == spec.failure().rank(spec.workers()))
                    trainer.failing(spec.failure());
                return List.of(trainer.run()).iterator();
            }
        }
    }

    /**
     * The scratch folder Spark gives this executor, found as Spark finds it (its own lookup is internal API):
     * the standalone worker's SPARK_EXECUTOR_DIRS, YARN's LOCAL_DIRS, SPARK_LOCAL_DIRS, then spark.local.dir,
     * then java.io.tmpdir; of a list, the first entry.
     */
    static Path localDir(SparkConf conf, Map<String, String> env) {
        String dirs = env.get("SPARK_EXECUTOR_DIRS");
        String sep = java.io.File.pathSeparator; // the worker joins SPARK_EXECUTOR_DIRS with the path separator
        if (dirs == null || dirs.isBlank()) {
            sep = ",";
            dirs = env.get("LOCAL_DIRS");
            if (dirs == null || dirs.isBlank()) dirs = env.get("SPARK_LOCAL_DIRS");
            if (dirs == null || dirs.isBlank()) dirs = conf.get("spark.local.dir", System.getProperty("java.io.tmpdir"));
        }
        for (String d : dirs.split(java.util.regex.Pattern.quote(sep)))
            if (!d.isBlank()) return Path.of(d.trim());
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** As 'cxrclip train': the manifest's train split, else the train part of a seeded 80:20 patient split. */
    static Dataset trainSplit(Dataset all, long seed) {
        boolean hasTrain = all.samples().stream().map(Sample::split).anyMatch("train"::equals);
        if (hasTrain) return all.split("train");
        return all.withSplits(PatientSplits.trainVal(all, 0.2, seed)).split("train");
    }
}
