package org.cxrclip.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * The run folder of {@code spark train --out} on any Hadoop file system: hdfs://, s3a://, abfs://, viewfs://,
 * file://, or a plain path, which is a local (or NFS) folder. Rank 0 writes each checkpoint into a local
 * {@code RunDirectory} and publishes it here; every rank of a stage, on whatever host Spark runs it, resumes
 * from the newest checkpoint committed here. Nothing reads the run folder other than through this class.
 *
 * <pre>
 * checkpoints/step-00000050-1f3a9c2e/   last.safetensors optimizer.safetensors state.json metrics.jsonl _COMMITTED
 * metrics.jsonl                         copied after every commit, to follow a run
 * last.safetensors optimizer.safetensors state.json metrics.jsonl report.md loss.png lr.png _COMMITTED   at the end
 * </pre>
 *
 * <p>Commit protocol. A checkpoint's files go into a folder of their own (step plus a random id, so that a
 * zombie task of a failed attempt never writes into the folder of a live one), are closed (and hsync'ed where
 * the stream can), and then {@code _COMMITTED} (the step and every file's length) is written under a temporary
 * name and renamed to its final name, which did not exist before. Resuming takes the highest step with a
 * {@code _COMMITTED}, checks the lengths and downloads. Only then are older checkpoint folders deleted, marker
 * first, so a crash at any point leaves the last committed checkpoint whole. No file is ever replaced to
 * commit: replacing a pointer such as LATEST atomically is not in Hadoop's portable FileSystem API ({@code
 * rename} refuses an existing target on HDFS, and its overwrite option falls back to delete-then-rename).
 * Renaming to a new name is atomic on HDFS (one NameNode operation), on a local or NFS folder (rename(2)) and on
 * ABFS with a hierarchical namespace; on S3 and GCS a rename is a copy then a delete, but an object appears
 * whole or not at all, so the marker still appears in one step (S3 has listed consistently since 2020).
 *
 * <p>At the end the final files are copied to the top level and committed the same way by a top-level
 * {@code _COMMITTED}; after that the checkpoints are deleted, and a later rerun finds the finished run there.
 */
final class HadoopRunFolder {
    static final String CHECKPOINTS = "checkpoints", COMMITTED = "_COMMITTED";
    private static final Pattern STEP_FOLDER = Pattern.compile("step-(\\d+)-([0-9a-f]+)");
    /** A URI scheme of two or more letters: "C:\runs" (a Windows drive) is a plain path. */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");

    /** A committed checkpoint (or, {@code finished}, the run's final files): where, which step, each file's length. */
    record Checkpoint(Path folder, long step, Map<String, Long> files, boolean finished) {}

    private final FileSystem fs;
    private final Path root;

    private HadoopRunFolder(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
    }

    /** {@code --out} as a URI: a plain path becomes the file: URI of its absolute form; a URI is kept. */
    static String uri(String out) {
        if (out == null || out.isBlank()) throw new IllegalArgumentException("--out is empty");
        if (SCHEME.matcher(out).find()) return new Path(out).toString();
        return new Path(java.nio.file.Path.of(out).toAbsolutePath().normalize().toUri()).toString();
    }

    /** The run folder at {@code uri} (see {@link #uri}); nothing is created yet. */
    static HadoopRunFolder open(String uri, Configuration conf) throws IOException {
        Path root = new Path(uri(uri));
        FileSystem fs = root.getFileSystem(conf);
        // file: without Hadoop's checksum layer, so a local run folder holds no hidden .crc files, as before.
        if (fs instanceof LocalFileSystem local) fs = local.getRawFileSystem();
        return new HadoopRunFolder(fs, fs.makeQualified(root));
    }

    Path root() {
        return root;
    }

    /** Creates the folder: a wrong scheme or missing permission then fails on the driver, before any task. */
    void create() throws IOException {
        if (!fs.mkdirs(root)) throw new IOException(root + ": could not create the run folder");
    }

    /** The newest committed checkpoint, else the finished run's files, else null (a new run). */
    Checkpoint latest() throws IOException {
        Checkpoint best = null;
        for (FileStatus st : list(new Path(root, CHECKPOINTS))) {
            Matcher m = STEP_FOLDER.matcher(st.getPath().getName());
            if (!st.isDirectory() || !m.matches()) continue;
            Checkpoint c = readMarker(st.getPath(), false);
            if (c != null && (best == null || c.step() > best.step())) best = c;
        }
        return best != null ? best : readMarker(root, true);
    }

    /** Downloads {@code names} of a committed checkpoint into {@code dir}, checking each length against the marker. */
    void fetch(Checkpoint c, java.nio.file.Path dir, Collection<String> names) throws IOException {
        for (String name : names) {
            Long want = c.files().get(name);
            if (want == null) throw new IOException(c.folder() + ": the committed checkpoint has no " + name);
            Path from = new Path(c.folder(), name);
            java.nio.file.Path tmp = dir.resolve("." + name + ".download"), to = dir.resolve(name);
            try (InputStream in = fs.open(from)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            long got = Files.size(tmp);
            if (got != want)
                throw new IOException(from + ": " + got + " bytes, but " + want + " were committed (damaged after its commit?)");
            Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Copies a checkpoint's files from {@code dir} into a new folder; not yet visible to {@link #latest} until {@link #commit}. */
    Checkpoint upload(long step, java.nio.file.Path dir, List<String> names) throws IOException {
        Path folder = new Path(new Path(root, CHECKPOINTS), String.format(Locale.ROOT, "step-%08d-%s", step, randomId()));
        if (!fs.mkdirs(folder)) throw new IOException(folder + ": could not create the checkpoint folder");
        Map<String, Long> files = new LinkedHashMap<>();
        for (String name : names) files.put(name, put(dir.resolve(name), new Path(folder, name)));
        return new Checkpoint(folder, step, files, false);
    }

    /** Makes an uploaded checkpoint the one a resume takes (the one atomic step). */
    void commit(Checkpoint c) throws IOException {
        writeMarker(c);
    }

    /** Deletes every other checkpoint folder up to the committed one's step (newer ones may be a live attempt's). */
    void prune(Checkpoint committed) throws IOException {
        for (FileStatus st : list(new Path(root, CHECKPOINTS))) {
            Matcher m = STEP_FOLDER.matcher(st.getPath().getName());
            if (!m.matches() || st.getPath().getName().equals(committed.folder().getName())) continue;
            if (Long.parseLong(m.group(1)) <= committed.step()) deleteCheckpoint(st.getPath());
        }
    }

    /** Copies one file to the top level, replacing it (metrics.jsonl during the run, to follow it; not a commit). */
    void publishProgress(java.nio.file.Path file) throws IOException {
        put(file, new Path(root, file.getFileName().toString()));
    }

    /**
     * Copies the final files from {@code dir} to the top level, commits them with a top-level {@code _COMMITTED},
     * then deletes the checkpoints. A republish (a stage retried after the end) first removes the old marker: the
     * committed final checkpoint in checkpoints/ covers the moment the top level is being rewritten.
     */
    void publishFinal(long step, java.nio.file.Path dir, List<String> names) throws IOException {
        fs.delete(new Path(root, COMMITTED), false);
        Map<String, Long> files = new LinkedHashMap<>();
        for (String name : names) files.put(name, put(dir.resolve(name), new Path(root, name)));
        writeMarker(new Checkpoint(root, step, files, true));
        for (FileStatus st : list(new Path(root, CHECKPOINTS))) fs.delete(new Path(st.getPath(), COMMITTED), false);
        fs.delete(new Path(root, CHECKPOINTS), true);
    }

    private void deleteCheckpoint(Path folder) throws IOException {
        fs.delete(new Path(folder, COMMITTED), false); // uncommitted before any of its files goes
        fs.delete(folder, true);
    }

    /** Uploads one local file; returns its length. */
    private long put(java.nio.file.Path from, Path to) throws IOException {
        long n;
        try (InputStream in = Files.newInputStream(from); FSDataOutputStream out = fs.create(to, true)) {
            n = in.transferTo(out);
            if (out.hasCapability(StreamCapabilities.HSYNC)) out.hsync();
        }
        return n;
    }

    private void writeMarker(Checkpoint c) throws IOException {
        Properties p = new Properties();
        p.setProperty("step", Long.toString(c.step()));
        c.files().forEach((name, len) -> p.setProperty("length." + name, Long.toString(len)));
        Path tmp = new Path(c.folder(), "." + COMMITTED + "." + randomId() + ".tmp"), marker = new Path(c.folder(), COMMITTED);
        try (FSDataOutputStream out = fs.create(tmp, false)) {
            p.store(out, "cxrclip spark train: this checkpoint is complete; file lengths in bytes");
            if (out.hasCapability(StreamCapabilities.HSYNC)) out.hsync();
        }
        if (!fs.rename(tmp, marker)) {
            fs.delete(tmp, false);
            throw new IOException(marker + ": could not commit the checkpoint of step " + c.step());
        }
    }

    /** The checkpoint committed in {@code folder}, or null when it has no marker. */
    private Checkpoint readMarker(Path folder, boolean finished) throws IOException {
        Properties p = new Properties();
        try (InputStream in = fs.open(new Path(folder, COMMITTED))) {
            p.load(in);
        } catch (FileNotFoundException e) {
            return null;
        }
        Map<String, Long> files = new LinkedHashMap<>();
        try {
            for (String k : p.stringPropertyNames())
                if (k.startsWith("length.")) files.put(k.substring("length.".length()), Long.parseLong(p.getProperty(k)));
            return new Checkpoint(folder, Long.parseLong(p.getProperty("step", "")), files, finished);
        } catch (NumberFormatException e) {
            throw new IOException(new Path(folder, COMMITTED) + ": not a checkpoint marker (" + e.getMessage() + ")");
        }
    }

    private List<FileStatus> list(Path dir) throws IOException {
        try {
            return List.of(fs.listStatus(dir));
        } catch (FileNotFoundException e) {
            return new ArrayList<>();
        }
    }

    private static String randomId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
