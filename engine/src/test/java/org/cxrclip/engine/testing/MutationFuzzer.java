package org.cxrclip.engine.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Seeded mutation fuzzing of file readers in plain JUnit. Jazzer 0.24.0 runs on JDK 25 but its bundled ASM cannot
 * read class files of major version 69, so it instruments none of our classes and fuzzes blind (README, "Hostile
 * input: fuzzing the readers"); this harness mutates valid files instead, with mutations aimed at what readers trust: bit flips,
 * 1/2/4/8-byte fields (little- and big-endian) set to extreme values or nudged, digit runs replaced by huge or
 * negative numbers, format tokens from a dictionary, truncation at every length of small seeds and at many lengths
 * of large ones, chunk deletion, duplication and splicing of two seeds.
 *
 * <p>The property checked on every input: the target returns, or throws an exception that {@code expected} accepts
 * (the reader's documented type with a message naming the file, key or value). Anything else fails the test: another
 * exception type, an error (StackOverflowError, OutOfMemoryError), more than {@link #maxAllocation} bytes allocated
 * by the reading thread (a length field believed without a check), or more than {@link #timeout} seconds for one
 * input (a loop that does not end). Each distinct failure (exception type and the first frame in our code) is kept
 * with its smallest input, minimized (chunks deleted while the same failure remains), written to
 * {@code target/fuzz-failures/}, and reported with the mutations that made it.
 *
 * <p>CI runs a fixed number of cases from a fixed seed, so a run is reproducible and takes seconds. Longer runs:
 * {@code -Dcxrclip.fuzz.seconds=N} fuzzes each target for N seconds from a random seed (printed);
 * {@code -Dcxrclip.fuzz.seed=S} repeats a run's sequence of inputs. Inputs under a target's replay folder (test
 * resources) are run first, every time: they are the crashes found so far.
 */
public final class MutationFuzzer {
    private static final long[] INTERESTING = {0, 1, 2, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
        0x7fffffffL, 0x80000000L, 0xffffffffL, 0x100000000L, 1L << 40, 1L << 53, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE,
        -1, -2, -8, -0x80000000L};
    private static final String[] NUMBERS = {"0", "-1", "1", "-0", "2147483647", "2147483648", "4294967295",
        "4294967296", "-2147483649", "9223372036854775807", "9223372036854775808", "18446744073709551615",
        "99999999999999999999999", "1099511627776", "1e400", "0.5", "-9223372036854775808", "65535", "65536", ""};

    private final String name;
    private final List<byte[]> seeds = new ArrayList<>();
    private final List<byte[]> dictionary = new ArrayList<>();
    private final List<Path> replayFolders = new ArrayList<>();
    private int cases = 2000;
    private int truncations = 320;
    private long timeoutSeconds = 10;
    private long maxAllocation = 256L << 20;

    private MutationFuzzer(String name) {
        this.name = name;
    }

    /** A fuzzer for one target; {@code name} names its failure files and seeds its random stream. */
    public static MutationFuzzer named(String name) {
        return new MutationFuzzer(name);
    }

    /** Adds valid (or interesting) inputs to mutate. */
    public MutationFuzzer seed(byte[]... inputs) {
        for (byte[] s : inputs) {
            seeds.add(s.clone());
        }
        return this;
    }

    /** Adds format tokens (JSON keys, opcodes, quotes, signatures) that mutations insert or overwrite with. */
    public MutationFuzzer dictionary(String... tokens) {
        for (String t : tokens) {
            dictionary.add(t.getBytes(StandardCharsets.ISO_8859_1));
        }
        return this;
    }

    /** Byte tokens for the dictionary. */
    public MutationFuzzer dictionary(byte[]... tokens) {
        for (byte[] t : tokens) {
            dictionary.add(t.clone());
        }
        return this;
    }

    /**
     * Every file in {@code folder} (if it exists) is run, whole and truncated, before the mutations. Replay inputs
     * are not mutated further (some are slow on purpose, and CI should stay fast); seeds are.
     */
    public MutationFuzzer replay(Path folder) {
        replayFolders.add(folder);
        return this;
    }

    /** Mutated inputs in a CI run (ignored when -Dcxrclip.fuzz.seconds is set). */
    public MutationFuzzer cases(int n) {
        this.cases = n;
        return this;
    }

    /** Truncated copies of each seed longer than 512 bytes (shorter seeds are cut at every length). */
    public MutationFuzzer truncations(int n) {
        this.truncations = n;
        return this;
    }

    /** Bytes the reading thread may allocate for one input before that counts as a failure. */
    public MutationFuzzer maxAllocation(long bytes) {
        this.maxAllocation = bytes;
        return this;
    }

    /** Seconds one input may take before it counts as a hang. */
    public MutationFuzzer timeout(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /** Runs one input. */
    @FunctionalInterface
    public interface Target {
        void accept(byte[] input) throws Exception;
    }

    /** What one run did: inputs tried and how many the target accepted (returned without throwing). */
    public record Report(String name, long inputs, long loaded, long seed, double seconds) {
        @Override
        public String toString() {
            return String.format("%s: %d inputs (%d loaded, %d rejected) in %.1f s, seed %d", name, inputs, loaded,
                    inputs - loaded, seconds, seed);
        }
    }

    /**
     * Runs the seeds, the replay inputs and the mutations through {@code target}; fails listing every distinct input
     * that threw something {@code expected} rejects, allocated too much or took too long.
     */
    public Report run(Target target, Predicate<Throwable> expected) {
        long seconds = Long.getLong("cxrclip.fuzz.seconds", 0);
        long seed = Long.getLong("cxrclip.fuzz.seed", seconds > 0 ? System.nanoTime() : name.hashCode());
        List<byte[]> base = new ArrayList<>(seeds);
        base.addAll(replayInputs());
        if (seeds.isEmpty()) {
            throw new IllegalStateException(name + ": no seeds");
        }
        if (seconds > 0) {
            System.out.println("fuzz " + name + ": " + seconds + " s from seed " + seed
                    + " (-Dcxrclip.fuzz.seed=" + seed + " repeats it)");
        }
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Failure> failures = new LinkedHashMap<>();
        ExecutorService worker = newWorker();
        long start = System.nanoTime();
        long deadline = seconds > 0 ? start + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
        long inputs = 0;
        long loaded = 0;
        try {
            List<Case> fixed = new ArrayList<>();
            for (int i = 0; i < base.size(); i++) {
                fixed.add(new Case(base.get(i), i < seeds.size() ? "seed " + i : "replay " + (i - seeds.size())));
            }
            for (int i = 0; i < base.size(); i++) {
                fixed.addAll(truncations(base.get(i), i, truncations));
            }
            long mutated = 0;
            for (int k = 0; ; k++) {
                Case c;
                if (k < fixed.size()) {
                    c = fixed.get(k);
                } else if (seconds > 0 ? System.nanoTime() < deadline : mutated < cases) {
                    mutated++;
                    c = mutate(seeds, random);
                } else {
                    break;
                }
                Outcome o = runOne(worker, target, c.input);
                inputs++;
                if (o.hung) {
                    worker.shutdownNow();
                    worker = newWorker();
                }
                String bad = signature(o, expected);
                if (bad == null) {
                    loaded += o.error == null ? 1 : 0;
                } else {
                    record(failures, bad, c, o);
                }
            }
            for (Map.Entry<String, Failure> e : failures.entrySet()) {
                if (!e.getKey().equals("hang")) {
                    e.getValue().minimized = minimize(e.getValue().smallest.input, e.getKey(), worker, target, expected);
                }
            }
        } finally {
            worker.shutdownNow();
        }
        Report report = new Report(name, inputs, loaded, seed, (System.nanoTime() - start) / 1e9);
        System.out.println("fuzz " + report);
        if (!failures.isEmpty()) {
            fail(describe(failures, seed), failures.values().iterator().next().outcome.error);
        }
        return report;
    }

    private record Case(byte[] input, String how) {
    }

    private record Outcome(Throwable error, long allocated, boolean hung) {
    }

    private static final class Failure {
        final Case smallest;
        final Outcome outcome;
        int count;
        byte[] minimized;

        Failure(Case c, Outcome o) {
            smallest = c;
            outcome = o;
        }
    }

    private List<byte[]> replayInputs() {
        List<byte[]> out = new ArrayList<>();
        for (Path folder : replayFolders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.sorted().toList()) {
                    if (Files.isRegularFile(f) && !f.getFileName().toString().endsWith(".md")) {
                        out.add(Files.readAllBytes(f));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(name + ": cannot read replay folder " + folder, e);
            }
        }
        return out;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-target");
            t.setDaemon(true);
            return t;
        });
    }

    private Outcome runOne(ExecutorService worker, Target target, byte[] input) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Future<Outcome> f = worker.submit(() -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            Throwable error = null;
            try {
                target.accept(input.clone());
            } catch (Throwable t) {
                error = t;
            }
            return new Outcome(error, threads.getCurrentThreadAllocatedBytes() - before, false);
        });
        try {
            return f.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return new Outcome(new TimeoutException("no result after " + timeoutSeconds + " s"), 0, true);
        } catch (ExecutionException e) {
            return new Outcome(e.getCause(), 0, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Null when the outcome is fine; otherwise what went wrong, as a key that groups equal failures. */
    private String signature(Outcome o, Predicate<Throwable> expected) {
        if (o.hung) {
            return "hang";
        }
        if (o.allocated > maxAllocation) {
            return "allocation";
        }
        if (o.error == null) {
            return null;
        }
        boolean fine;
        try {
            fine = expected.test(o.error);
        } catch (RuntimeException e) {
            fine = false;
        }
        return fine ? null : o.error.getClass().getName() + " at " + firstOwnFrame(o.error);
    }

    private static void record(Map<String, Failure> failures, String key, Case c, Outcome o) {
        Failure old = failures.get(key);
        if (old == null || c.input.length < old.smallest.input.length) {
            Failure f = new Failure(c, o);
            f.count = old == null ? 1 : old.count + 1;
            failures.put(key, f);
        } else {
            old.count++;
        }
    }

    /** Deletes chunks (halves, quarters, ... single bytes) while the same failure remains; at most 3000 runs. */
    private byte[] minimize(byte[] input, String key, ExecutorService worker, Target target, Predicate<Throwable> expected) {
        byte[] best = input;
        int budget = 3000;
        for (int chunk = Math.max(1, best.length / 2); budget > 0; chunk = Math.max(1, chunk / 2)) {
            for (int at = 0; at + chunk <= best.length && budget > 0; budget--) {
                byte[] candidate = concat(java.util.Arrays.copyOf(best, at), java.util.Arrays.copyOfRange(best, at + chunk,
                        best.length));
                if (key.equals(signature(runOne(worker, target, candidate), expected))) {
                    best = candidate;
                } else {
                    at += chunk;
                }
            }
            if (chunk == 1) {
                break;
            }
        }
        return best;
    }

    private static String firstOwnFrame(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("org.cxrclip.") && !e.getClassName().startsWith("org.cxrclip.engine.testing.")) {
                return e.toString();
            }
        }
        return t.getStackTrace().length > 0 ? t.getStackTrace()[0].toString() : "?";
    }

    private String describe(Map<String, Failure> failures, long seed) {
        StringBuilder sb = new StringBuilder(name + ": " + failures.size() + " kind(s) of bad failure (seed " + seed + "):");
        Path dir = Path.of(System.getProperty("cxrclip.fuzz.failures", "target/fuzz-failures"));
        int i = 0;
        for (Map.Entry<String, Failure> e : failures.entrySet()) {
            Failure f = e.getValue();
            byte[] in = f.minimized != null ? f.minimized : f.smallest.input;
            String saved;
            try {
                Files.createDirectories(dir);
                Path file = dir.resolve(name + "-" + i++ + ".bin");
                Files.write(file, in);
                saved = file.toAbsolutePath().toString();
            } catch (IOException ex) {
                saved = "not saved (" + ex + ")";
            }
            sb.append("\n  ").append(e.getKey()).append(" x").append(f.count).append(": ");
            if (f.outcome.hung) {
                sb.append("no result after ").append(timeoutSeconds).append(" s");
            } else if (f.outcome.allocated > maxAllocation) {
                sb.append("allocated ").append(f.outcome.allocated).append(" bytes (limit ").append(maxAllocation)
                        .append(")").append(f.outcome.error == null ? "" : " then threw " + f.outcome.error);
            } else {
                sb.append(f.outcome.error);
            }
            sb.append("\n    input: ").append(in.length).append(" bytes (minimized from ").append(f.smallest.input.length)
                    .append(") from ").append(f.smallest.how).append(", saved as ")
                    .append(saved).append("\n    starts ")
                    .append(HexFormat.of().formatHex(in, 0, Math.min(in.length, 48)));
            if (f.outcome.error != null) {
                StringWriter w = new StringWriter();
                f.outcome.error.printStackTrace(new PrintWriter(w));
                sb.append("\n    ").append(w.toString().lines().limit(8).reduce((a, b) -> a + "\n    " + b).orElse(""));
            }
        }
        return sb.toString();
    }

    /** Every prefix of a small seed; of a larger one, {@code count} lengths: a fifth at each end, the rest spread. */
    private static List<Case> truncations(byte[] seed, int index, int count) {
        List<Case> out = new ArrayList<>();
        int n = seed.length;
        java.util.TreeSet<Integer> lengths = new java.util.TreeSet<>();
        if (n <= 512) {
            for (int k = 0; k < n; k++) {
                lengths.add(k);
            }
        } else {
            int ends = count / 5;
            int spread = count - 2 * ends;
            for (int k = 0; k < ends; k++) {
                lengths.add(k);
                lengths.add(n - 1 - k);
            }
            for (int k = 0; k < spread; k++) {
                lengths.add((int) ((long) n * k / spread));
            }
        }
        for (int len : lengths) {
            out.add(new Case(java.util.Arrays.copyOf(seed, len), "seed " + index + " truncated to " + len + " bytes"));
        }
        return out;
    }

    private Case mutate(List<byte[]> base, SplittableRandom r) {
        int from = r.nextInt(base.size());
        byte[] b = base.get(from).clone();
        StringBuilder how = new StringBuilder("input " + from);
        int steps = 1 + r.nextInt(r.nextInt(4) + 1);
        for (int s = 0; s < steps; s++) {
            b = step(b, base, r, how);
        }
        return new Case(b, how.toString());
    }

    private byte[] step(byte[] b, List<byte[]> base, SplittableRandom r, StringBuilder how) {
        int n = b.length;
        int op = r.nextInt(11);
        if (n == 0 && op != 8 && op != 7) {
            op = 8;
        }
        switch (op) {
            case 0 -> {
                int at = r.nextInt(n);
                b[at] ^= (byte) (1 << r.nextInt(8));
                how.append(", bit flip at ").append(at);
            }
            case 1 -> {
                int at = r.nextInt(n);
                b[at] = (byte) INTERESTING[r.nextInt(INTERESTING.length)];
                how.append(", byte ").append(at).append(" = ").append(b[at] & 0xff);
            }
            case 2, 3 -> {
                int width = 1 << (1 + r.nextInt(3));
                int at = r.nextInt(Math.max(1, n - width + 1));
                boolean little = r.nextBoolean();
                long v;
                if (op == 2) {
                    int pick = r.nextInt(INTERESTING.length + 3);
                    v = pick < INTERESTING.length ? INTERESTING[pick] : pick == INTERESTING.length ? n
                            : pick == INTERESTING.length + 1 ? n - at : n + 1 + r.nextInt(64);
                } else {
                    v = read(b, at, width, little) + (r.nextInt(33) - 16);
                }
                write(b, at, width, little, v);
                how.append(", ").append(width * 8).append("-bit ").append(little ? "LE" : "BE").append(" field at ")
                        .append(at).append(" = ").append(v);
            }
            case 4 -> {
                int len = r.nextInt(n + 1);
                how.append(", truncated to ").append(len);
                return java.util.Arrays.copyOf(b, len);
            }
            case 5 -> {
                int at = r.nextInt(n);
                int len = 1 + r.nextInt(Math.min(n - at, 1 + r.nextInt(64)));
                how.append(", deleted ").append(len).append(" at ").append(at);
                return concat(java.util.Arrays.copyOfRange(b, 0, at), java.util.Arrays.copyOfRange(b, at + len, n));
            }
            case 6 -> {
                int at = r.nextInt(n);
                int len = 1 + r.nextInt(Math.min(n - at, 1 + r.nextInt(256)));
                int to = r.nextInt(n + 1);
                how.append(", copied ").append(len).append(" from ").append(at).append(" to ").append(to);
                byte[] chunk = java.util.Arrays.copyOfRange(b, at, at + len);
                return concat(concat(java.util.Arrays.copyOfRange(b, 0, to), chunk), java.util.Arrays.copyOfRange(b, to, n));
            }
            case 7 -> {
                byte[] other = base.get(r.nextInt(base.size()));
                int cut = r.nextInt(n + 1);
                int from = r.nextInt(other.length + 1);
                how.append(", spliced at ").append(cut).append(" with another input from ").append(from);
                return concat(java.util.Arrays.copyOf(b, cut), java.util.Arrays.copyOfRange(other, from, other.length));
            }
            case 8 -> {
                byte[] token = dictionary.isEmpty() ? new byte[] {(byte) r.nextInt(256)}
                        : dictionary.get(r.nextInt(dictionary.size()));
                int at = r.nextInt(n + 1);
                if (r.nextBoolean() || at + token.length > n) {
                    how.append(", inserted token at ").append(at);
                    return concat(concat(java.util.Arrays.copyOf(b, at), token), java.util.Arrays.copyOfRange(b, at, n));
                }
                System.arraycopy(token, 0, b, at, token.length);
                how.append(", overwrote token at ").append(at);
            }
            case 9 -> {
                int[] run = digitRun(b, r);
                if (run == null) {
                    return step(b, base, r, how);
                }
                byte[] number = NUMBERS[r.nextInt(NUMBERS.length)].getBytes(StandardCharsets.US_ASCII);
                how.append(", number at ").append(run[0]).append(" = '").append(new String(number, StandardCharsets.US_ASCII))
                        .append("'");
                return concat(concat(java.util.Arrays.copyOf(b, run[0]), number), java.util.Arrays.copyOfRange(b, run[1], n));
            }
            default -> {
                int at = r.nextInt(n);
                int len = 1 + r.nextInt(Math.min(n - at, 16));
                for (int i = 0; i < len; i++) {
                    b[at + i] = (byte) r.nextInt(256);
                }
                how.append(", ").append(len).append(" random bytes at ").append(at);
            }
        }
        return b;
    }

    /** A random run of ASCII digits (with a leading '-'), as [start, end), or null when there is none. */
    private static int[] digitRun(byte[] b, SplittableRandom r) {
        int n = b.length;
        for (int tries = 0; tries < 32 && n > 0; tries++) {
            int at = r.nextInt(n);
            if (b[at] >= '0' && b[at] <= '9') {
                int s = at;
                int e = at;
                while (s > 0 && (b[s - 1] >= '0' && b[s - 1] <= '9' || b[s - 1] == '-')) {
                    s--;
                }
                while (e < n && b[e] >= '0' && b[e] <= '9') {
                    e++;
                }
                return new int[] {s, e};
            }
        }
        return null;
    }

    private static long read(byte[] b, int at, int width, boolean little) {
        long v = 0;
        for (int i = 0; i < width && at + i < b.length; i++) {
            int shift = little ? 8 * i : 8 * (width - 1 - i);
            v |= (long) (b[at + i] & 0xff) << shift;
        }
        return v;
    }

    private static void write(byte[] b, int at, int width, boolean little, long v) {
        for (int i = 0; i < width && at + i < b.length; i++) {
            int shift = little ? 8 * i : 8 * (width - 1 - i);
            b[at + i] = (byte) (v >>> shift);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
