package org.cxrclip.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checkpoint protocol of {@code spark train --out} against Hadoop file systems on this machine: the local
 * one (a plain path) and {@code viewfs://cxr/runs/...}, a Hadoop mount table over a temporary folder, a URI that
 * no java.nio path can open. A checkpoint counts once committed, never before; older ones go only after a newer
 * commit; a crash between upload and commit leaves the previous one.
 */
class HadoopRunFolderTest {
    @TempDir
    Path tmp;

    /** viewfs://cxr/runs/NAME is the folder {@code mount}/NAME. */
    static Configuration viewfs(Path mount) {
        Configuration c = new Configuration();
        c.set("fs.viewfs.mounttable.cxr.link./runs", mount.toUri().toString());
        c.setBoolean("fs.viewfs.impl.disable.cache", true); // Hadoop caches one viewfs://cxr per JVM; each test mounts its own
        return c;
    }

    /** The run folder "r" (plain path or viewfs) and where its files lie on this machine. */
    record Store(HadoopRunFolder folder, Path files) {}

    Store store(String kind) throws IOException {
        Path mount = Files.createDirectories(tmp.resolve("mount"));
        return switch (kind) {
            case "viewfs" -> new Store(HadoopRunFolder.open("viewfs://cxr/runs/r", viewfs(mount)), mount.resolve("r"));
            case "plain" -> new Store(HadoopRunFolder.open(mount.resolve("r").toString(), new Configuration()), mount.resolve("r"));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void plainPathsBecomeAbsoluteFileUrisAndUrisAreKept() {
        assertEquals("file:" + Path.of("runs/a").toAbsolutePath(), HadoopRunFolder.uri("runs/a"));
        assertEquals("file:" + Path.of("/tmp/x y"), HadoopRunFolder.uri("/tmp/x y"));
        assertEquals("hdfs://nn:8020/cxr/run", HadoopRunFolder.uri("hdfs://nn:8020/cxr/run"));
        assertEquals("s3a://bucket/runs/a", HadoopRunFolder.uri("s3a://bucket/runs/a"));
        assertEquals("file:/tmp/x", HadoopRunFolder.uri("file:///tmp/x"));
        String once = HadoopRunFolder.uri("runs/a b");
        assertEquals(once, HadoopRunFolder.uri(once), "a URI made from a path is kept as it is");
    }

    @ParameterizedTest
    @ValueSource(strings = {"viewfs", "plain"})
    void aCheckpointCountsOnlyOnceCommittedAndACrashBeforeTheCommitLeavesThePreviousOne(String kind) throws IOException {
        Store s = store(kind);
        HadoopRunFolder f = s.folder();
        Path local = Files.createDirectories(tmp.resolve("local"));
        byte[] two = bytes(100_003, 2), four = bytes(70_001, 4);
        Files.write(local.resolve("w.bin"), two);
        Files.writeString(local.resolve("m.txt"), "step 2\n");
        assertNull(f.latest(), "a new run");

        HadoopRunFolder.Checkpoint c2 = f.upload(2, local, List.of("w.bin", "m.txt"));
        assertNull(f.latest(), "uploaded, not committed: a crash now leaves a new run");
        f.commit(c2);
        f.prune(c2);
        assertEquals(2, f.latest().step());

        // The checkpoint of step 4 is uploaded, then the writer dies before committing it.
        Files.write(local.resolve("w.bin"), four);
        Files.writeString(local.resolve("m.txt"), "step 4\n");
        f.upload(4, local, List.of("w.bin", "m.txt"));
        HadoopRunFolder.Checkpoint found = f.latest();
        assertEquals(2, found.step(), "the uncommitted step 4 is not taken");
        Path back = Files.createDirectories(tmp.resolve("back"));
        f.fetch(found, back, found.files().keySet());
        assertArrayEquals(two, Files.readAllBytes(back.resolve("w.bin")));
        assertEquals("step 2\n", Files.readString(back.resolve("m.txt")));

        // The retry redoes step 4 into a new folder and commits it: step 2 and the orphan of step 4 go.
        HadoopRunFolder.Checkpoint c4 = f.upload(4, local, List.of("w.bin", "m.txt"));
        f.commit(c4);
        f.prune(c4);
        try (var left = Files.list(s.files().resolve(HadoopRunFolder.CHECKPOINTS))) {
            assertEquals(List.of(c4.folder().getName()), left.map(p -> p.getFileName().toString()).toList());
        }
        found = f.latest();
        assertEquals(4, found.step());
        f.fetch(found, back, List.of("w.bin"));
        assertArrayEquals(four, Files.readAllBytes(back.resolve("w.bin")));
        if (kind.equals("plain"))
            try (var all = Files.walk(s.files())) {
                assertFalse(all.anyMatch(p -> p.toString().endsWith(".crc")), "a local run folder holds no Hadoop .crc files");
            }
    }

    @Test
    void aCommittedFileThatLostBytesIsRefused() throws IOException {
        Store s = store("viewfs");
        Path local = Files.createDirectories(tmp.resolve("local"));
        Files.write(local.resolve("w.bin"), bytes(5000, 1));
        HadoopRunFolder.Checkpoint c = s.folder().upload(1, local, List.of("w.bin"));
        s.folder().commit(c);
        Path stored = s.files().resolve(HadoopRunFolder.CHECKPOINTS).resolve(c.folder().getName()).resolve("w.bin");
        Files.write(stored, bytes(4000, 1));
        Files.deleteIfExists(stored.resolveSibling(".w.bin.crc")); // the local file system's checksum would catch it first
        var e = assertThrows(IOException.class, () -> s.folder().fetch(s.folder().latest(), local, List.of("w.bin")));
        assertTrue(e.getMessage().contains("4000 bytes, but 5000 were committed"), e.getMessage());
    }

    @Test
    void theFinalFilesAreCommittedAtTheTopAndReplaceTheCheckpoints() throws IOException {
        Store s = store("viewfs");
        HadoopRunFolder f = s.folder();
        Path local = Files.createDirectories(tmp.resolve("local"));
        byte[] w = bytes(12_345, 6);
        Files.write(local.resolve("w.bin"), w);
        Files.writeString(local.resolve("m.txt"), "done\n");
        HadoopRunFolder.Checkpoint c = f.upload(6, local, List.of("w.bin", "m.txt"));
        f.commit(c);
        f.publishFinal(6, local, List.of("m.txt", "w.bin"));
        assertFalse(Files.exists(s.files().resolve(HadoopRunFolder.CHECKPOINTS)));
        assertArrayEquals(w, Files.readAllBytes(s.files().resolve("w.bin")));
        HadoopRunFolder.Checkpoint done = f.latest();
        assertTrue(done.finished());
        assertEquals(6, done.step());
        // A stage retried after the end publishes again over the finished run.
        f.publishFinal(6, local, List.of("m.txt", "w.bin"));
        assertTrue(f.latest().finished());
        assertEquals("done\n", Files.readString(s.files().resolve("m.txt")));
    }
}
