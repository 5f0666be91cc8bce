package org.cxrclip.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output folder written one partition at a time, so that a rerun skips what is done:
 * {@code part-NNNNN.parquet} appears by rename from a hidden attempt file once complete, then
 * {@code _committed/part-NNNNN} marks it done. {@code _plan.properties} records how rows were split into
 * partitions (and with which model and options); a rerun with a different plan is refused, since its
 * partitions would not line up. Spark's Parquet reader ignores names starting with '_' or '.', so
 * {@code spark.read().parquet(DIR)} sees exactly the committed parts. Paths go through Hadoop's FileSystem,
 * so DIR may be local, HDFS or an object store.
 */
final class PartitionedOutput implements Serializable {
    static final String PLAN = "_plan.properties", COMMITTED = "_committed";

    private final String dir;

    PartitionedOutput(String dir) {
        this.dir = dir;
    }

    String dir() {
        return dir;
    }

    static String partName(int index) {
        return String.format(Locale.ROOT, "part-%05d", index);
    }

    Path part(int index) {
        return new Path(dir, partName(index) + ".parquet");
    }

    /** A hidden file for one task attempt to write before it commits. */
    Path attempt(int index, long attemptId) {
        return new Path(dir, "." + partName(index) + ".attempt-" + attemptId + ".parquet.tmp");
    }

    Path marker(int index) {
        return new Path(new Path(dir, COMMITTED), partName(index));
    }

    FileSystem fs(Configuration conf) throws IOException {
        return new Path(dir).getFileSystem(conf);
    }

    /**
     * Creates the folder and its plan, or checks that an existing plan equals {@code plan}; removes attempt
     * files left by killed tasks; returns the partitions already committed.
     */
    Set<Integer> prepare(Map<String, String> plan, Configuration conf) throws IOException {
        FileSystem fs = fs(conf);
        Path planFile = new Path(dir, PLAN);
        if (fs.exists(planFile)) {
            Map<String, String> old = readPlan(fs, planFile);
            if (!old.equals(new TreeMap<>(plan)))
                throw new IllegalArgumentException(dir + " holds output of a different job (" + differences(old, plan)
                        + "): choose a new --out, or delete the folder to start over");
        } else {
            fs.mkdirs(new Path(dir));
            Properties p = new Properties();
            p.putAll(plan);
            Path tmp = new Path(dir, "." + PLAN + ".tmp");
            try (OutputStream os = fs.create(tmp, true)) {
                p.store(os, "cxrclip spark: how rows were split into partitions; a rerun must match");
            }
            if (!fs.rename(tmp, planFile)) throw new IOException(planFile + ": could not commit the plan");
        }
        fs.mkdirs(new Path(dir, COMMITTED));
        for (FileStatus st : fs.listStatus(new Path(dir)))
            if (st.getPath().getName().matches("\\.part-\\d+\\.attempt-.*\\.tmp")) fs.delete(st.getPath(), false);
        Set<Integer> done = new HashSet<>();
        for (FileStatus st : fs.listStatus(new Path(dir, COMMITTED))) {
            String n = st.getPath().getName();
            if (n.matches("part-\\d+") && fs.exists(new Path(dir, n + ".parquet"))) done.add(Integer.parseInt(n.substring(5)));
        }
        return done;
    }

    boolean committed(int index, Configuration conf) throws IOException {
        FileSystem fs = fs(conf);
        return fs.exists(marker(index)) && fs.exists(part(index));
    }

    /** Moves a finished attempt into place and marks the partition done; a lost race with another attempt is fine. */
    void commit(int index, long attemptId, long rows, Configuration conf) throws IOException {
        FileSystem fs = fs(conf);
        Path from = attempt(index, attemptId), to = part(index);
        if (fs.exists(to) || !fs.rename(from, to)) {
            fs.delete(from, false);
            if (!fs.exists(to)) throw new IOException(to + ": could not commit partition " + index);
        }
        try (OutputStream os = fs.create(marker(index), true)) {
            os.write(("rows=" + rows + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Map<String, String> readPlan(FileSystem fs, Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = fs.open(file)) {
            p.load(in);
        }
        Map<String, String> m = new TreeMap<>();
        for (String k : p.stringPropertyNames()) m.put(k, p.getProperty(k));
        return m;
    }

    private static String differences(Map<String, String> old, Map<String, String> now) {
        Set<String> keys = new java.util.TreeSet<>(old.keySet());
        keys.addAll(now.keySet());
        StringBuilder b = new StringBuilder();
        for (String k : keys) {
            if (java.util.Objects.equals(old.get(k), now.get(k))) continue;
            if (!b.isEmpty()) b.append("; ");
            b.append(k).append(": was ").append(old.get(k)).append(", now ").append(now.get(k));
        }
        return b.toString();
    }
}
