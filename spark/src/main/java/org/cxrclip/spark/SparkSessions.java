package org.cxrclip.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Starts the one SparkSession of a cxrclip job with what our engine needs on JDK 25: the Vector API module and
 * native access on every executor (Spark adds its own {@code --add-opens} list to executors itself; the driver
 * gets them from its launcher: {@code ./cxrclip spark} or {@code spark-submit}).
 *
 * <p>{@code local-cluster[W,C,M]} (W executor JVMs on this machine, as Spark's own tests use) normally needs a
 * Spark distribution to start executors from; without one ({@code SPARK_HOME} unset), executors get this JVM's
 * class path and the two environment variables that let Spark's launcher run from a plain class path.
 */
public final class SparkSessions {
    /** Executor JVM options for the engine, appended to any the user set. */
    static final String EXECUTOR_OPTIONS = "--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED";
    /** local-cluster[W,C,M]: W executors of C cores and M MB. */
    private static final java.util.regex.Pattern LOCAL_CLUSTER = java.util.regex.Pattern.compile("local-cluster\\[(\\d+),(\\d+),(\\d+)]");

    private SparkSessions() {}

    /** Settings from spark-submit (system properties) win; {@code master} (may be null) overrides spark.master. */
    public static SparkConf conf(String appName, String master) {
        requireVectorModule();
        SparkConf conf = new SparkConf();
        if (master != null && !master.isBlank()) conf.setMaster(master.trim());
        else if (!conf.contains("spark.master")) conf.setMaster("local[*]");
        conf.setIfMissing("spark.app.name", appName);
        String opts = conf.get("spark.executor.extraJavaOptions", "");
        if (!opts.contains("jdk.incubator.vector"))
            conf.set("spark.executor.extraJavaOptions", (opts + " " + EXECUTOR_OPTIONS).trim());
        String m = conf.get("spark.master");
        if (m.startsWith("local")) conf.setIfMissing("spark.ui.enabled", "false");
        if (m.startsWith("local-cluster") && System.getenv("SPARK_HOME") == null) {
            conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
            conf.setIfMissing("spark.executorEnv.SPARK_SCALA_VERSION", "2.13");
            // Lets the worker's command builder start executors without a distribution's jars/ folder.
            conf.setIfMissing("spark.executorEnv.SPARK_TESTING", "1");
        }
        var cluster = LOCAL_CLUSTER.matcher(m.replace(" ", ""));
        if (cluster.matches()) {
            // Start only once all W×C cores have registered (Spark waits up to 30 s), so that a barrier stage
            // finds its slots at once instead of failing Spark's slot check, which retries only every 15 s.
            int cores = Integer.parseInt(cluster.group(1)) * Integer.parseInt(cluster.group(2));
            conf.setIfMissing("spark.cores.max", Integer.toString(cores));
            conf.setIfMissing("spark.scheduler.minRegisteredResourcesRatio", "1.0");
        }
        return conf;
    }

    /** A session for one command: stopped on close only if this command started it (tests share one). */
    public record Lease(SparkSession session, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) session.stop();
        }
    }

    public static Lease start(String appName, String master) {
        var existing = SparkSession.getDefaultSession();
        if (existing.isDefined()) return new Lease(existing.get(), false);
        SparkSession s = SparkSession.builder().config(conf(appName, master)).getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return new Lease(s, true);
    }

    /**
     * The Hadoop configuration for a task: Hadoop's defaults and site files plus the job's {@code spark.hadoop.*}
     * settings (credentials, file system implementations, mount tables), as Spark builds it on the driver. A bare
     * {@code new Configuration()} on an executor would miss the latter.
     */
    public static org.apache.hadoop.conf.Configuration hadoopConfiguration() {
        var conf = new org.apache.hadoop.conf.Configuration();
        org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
        if (env != null)
            for (scala.Tuple2<String, String> kv : env.conf().getAllWithPrefix("spark.hadoop.")) conf.set(kv._1(), kv._2());
        return conf;
    }

    /** The driver runs the engine too (prompt embeddings, checks): fail with the fix rather than a NoClassDefFoundError. */
    static void requireVectorModule() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty())
            throw new IllegalStateException("this JVM lacks the Vector API module: start it with --add-modules "
                    + "jdk.incubator.vector (spark-submit: --driver-java-options \"--add-modules jdk.incubator.vector\")");
    }
}
