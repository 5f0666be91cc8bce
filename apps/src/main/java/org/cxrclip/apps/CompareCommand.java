package org.cxrclip.apps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cxrclip.train.data.Csv;
import org.cxrclip.train.metrics.DeLong;
import org.cxrclip.train.metrics.PairedBootstrap;
import org.cxrclip.train.metrics.ScoreTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import org.cxrclip.train.report.AtomicFiles;

/**
 * {@code cxrclip eval compare DIR_A DIR_B}: are A's AUCs different from B's on the same test images? Reads the
 * {@code scores.csv} and {@code auc.csv} that {@code eval zero-shot} / {@code eval linear-probe} wrote, checks
 * that both scored the same images with the same truths and the same labels and base / rare grouping, then
 * reports per group (total, base, rare) the macro AUCs, their difference A − B with a paired-bootstrap 95 %
 * interval and two-sided p-value, and per label DeLong's test (difference, z, p). Rows go to compare.csv.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two evaluations of the same test set: paired bootstrap per group, DeLong per label.")
final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR_A", description = "Output folder of an eval command (scores.csv, auc.csv).")
    Path dirA;

    @Parameters(index = "1", paramLabel = "DIR_B", description = "Output folder of another eval on the same test set.")
    Path dirB;

    @Option(names = "--resamples", defaultValue = "1000", description = "Bootstrap resamples (default ${DEFAULT-VALUE}).")
    int resamples;

    @Option(names = "--seed", defaultValue = "0", description = "Bootstrap seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--method", defaultValue = "both", paramLabel = "bootstrap|delong|both",
            description = "Paired bootstrap per group, DeLong per label, or both (default ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--out", paramLabel = "FILE", description = "Result CSV (default DIR_A/compare.csv).")
    Path out;

    private static final String[] GROUPS = {"total", "base", "rare"};

    @Override
    public Integer call() throws IOException {
        String m = method.trim().toLowerCase(Locale.ROOT);
        if (!m.equals("bootstrap") && !m.equals("delong") && !m.equals("both"))
            throw new IllegalArgumentException("--method must be bootstrap, delong or both, got '" + method + "'");
        if (resamples < 1) throw new IllegalArgumentException("--resamples must be >= 1, got " + resamples);
        ScoreTable a = read(dirA), b = aligned(a, read(dirB));
        Map<String, String> groupA = groups(dirA), groupB = groups(dirB);
        int l = a.labels().size(), n = a.size();
        boolean[][] in = new boolean[3][l];
        for (int j = 0; j < l; j++) {
            String label = a.labels().get(j), ga = groupA.get(label), gb = groupB.get(label);
            if (ga == null) throw new IOException(dirA.resolve("auc.csv") + ": no row for label '" + label + "'");
            if (!ga.equals(gb))
                throw new IllegalArgumentException("label '" + label + "' is " + ga + " in " + dirA + " but " + gb + " in " + dirB
                        + " (different --rare-threshold or train split?)");
            in[0][j] = true;
            in[1][j] = ga.equals("base");
            in[2][j] = ga.equals("rare");
        }
        StringBuilder csv = new StringBuilder("method,group,label,auc_a,auc_b,diff,ci_low,ci_high,z,p\n");
        System.out.printf("compare: %d images, %d labels: A = %s, B = %s%n", n, l, dirA, dirB);
        if (!m.equals("delong")) {
            PairedBootstrap.Result[] r = PairedBootstrap.compare(a.scores(), b.scores(), a.truth(), n, l, in, resamples, seed);
            for (int g = 0; g < 3; g++) {
                PairedBootstrap.Result x = r[g];
                System.out.printf(Locale.ROOT, "bootstrap %-5s A=%s B=%s diff=%s 95%% CI [%s, %s] p=%s (%d resamples)%n",
                        GROUPS[g], f(x.aucA()), f(x.aucB()), signed(x.difference()), signed(x.lo()), signed(x.hi()), f(x.p()),
                        x.resamples());
                csv.append("bootstrap,").append(GROUPS[g]).append(",,").append(f(x.aucA())).append(',').append(f(x.aucB()))
                        .append(',').append(f(x.difference())).append(',').append(f(x.lo())).append(',').append(f(x.hi()))
                        .append(",,").append(f(x.p())).append('\n');
            }
        }
        if (!m.equals("bootstrap")) {
            for (int j = 0; j < l; j++) {
                float[] sa = new float[n], sb = new float[n], t = new float[n];
                for (int i = 0; i < n; i++) {
                    sa[i] = a.scores()[i * l + j];
                    sb[i] = b.scores()[i * l + j];
                    t[i] = a.truth()[i * l + j];
                }
                DeLong.Comparison c = DeLong.compare(sa, sb, t);
                String label = a.labels().get(j), group = in[2][j] ? "rare" : "base";
                System.out.printf(Locale.ROOT, "delong %s (%s, %d+/%d-) A=%s B=%s diff=%s z=%s p=%s%n", label, group,
                        c.positives(), c.negatives(), f(c.aucA()), f(c.aucB()), signed(c.difference()), f(c.z()), f(c.p()));
                csv.append("delong,").append(group).append(',').append(field(label)).append(',').append(f(c.aucA())).append(',')
                        .append(f(c.aucB())).append(',').append(f(c.difference())).append(",,,").append(f(c.z())).append(',')
                        .append(f(c.p())).append('\n');
            }
        }
        Path file = out != null ? out : dirA.resolve("compare.csv");
        AtomicFiles.writeString(file, csv.toString());
        System.out.println("compare: -> " + file);
        return 0;
    }

    private static ScoreTable read(Path dir) throws IOException {
        Path csv = dir.resolve("scores.csv");
        if (!Files.isRegularFile(csv)) throw new IOException(csv + ": not found (is " + dir + " an eval output folder?)");
        return ScoreTable.read(csv);
    }

    /**
     * B's rows and labels in A's order, after checking both scored the same images with the same truths.
     * Errors name the first image (or label) that differs.
     */
    private ScoreTable aligned(ScoreTable a, ScoreTable b) {
        if (!new java.util.HashSet<>(a.labels()).equals(new java.util.HashSet<>(b.labels())))
            throw new IllegalArgumentException("different labels: " + dirA + " has " + a.labels() + ", " + dirB + " has " + b.labels());
        Map<String, Integer> rowB = new HashMap<>();
        for (int i = 0; i < b.size(); i++)
            if (rowB.put(b.ids().get(i), i) != null)
                throw new IllegalArgumentException(dirB.resolve("scores.csv") + ": image '" + b.ids().get(i) + "' appears twice");
        java.util.Set<String> seenA = new java.util.HashSet<>();
        int l = a.labels().size();
        int[] col = new int[l];
        for (int j = 0; j < l; j++) col[j] = b.labels().indexOf(a.labels().get(j));
        float[] truth = new float[a.size() * l], scores = new float[a.size() * l];
        for (int i = 0; i < a.size(); i++) {
            String id = a.ids().get(i);
            if (!seenA.add(id)) throw new IllegalArgumentException(dirA.resolve("scores.csv") + ": image '" + id + "' appears twice");
            Integer r = rowB.get(id);
            if (r == null)
                throw new IllegalArgumentException("different test sets: image '" + id + "' is scored in " + dirA + " but not in " + dirB
                        + " (" + a.size() + " vs " + b.size() + " images)");
            for (int j = 0; j < l; j++) {
                float ta = a.truth()[i * l + j], tb = b.truth()[r * b.labels().size() + col[j]];
                if (!(ta == tb || (Float.isNaN(ta) && Float.isNaN(tb))))
                    throw new IllegalArgumentException("different truths: image '" + id + "' label '" + a.labels().get(j) + "' is "
                            + truthText(ta) + " in " + dirA + " but " + truthText(tb) + " in " + dirB + " (different --uncertain?)");
                truth[i * l + j] = tb;
                scores[i * l + j] = b.scores()[r * b.labels().size() + col[j]];
            }
        }
        for (String id : b.ids())
            if (!seenA.contains(id))
                throw new IllegalArgumentException("different test sets: image '" + id + "' is scored in " + dirB + " but not in " + dirA
                        + " (" + a.size() + " vs " + b.size() + " images)");
        return new ScoreTable(a.ids(), a.labels(), truth, scores);
    }

    /** label → base / rare from a folder's auc.csv. */
    private static Map<String, String> groups(Path dir) throws IOException {
        Path file = dir.resolve("auc.csv");
        if (!Files.isRegularFile(file)) throw new IOException(file + ": not found (is " + dir + " an eval output folder?)");
        Csv.Table t = Csv.read(file);
        int label = t.column("label"), group = t.column("group");
        if (label < 0 || group < 0) throw new IOException(file + ": no 'label' and 'group' columns");
        Map<String, String> out = new LinkedHashMap<>();
        for (List<String> row : t.rows()) if (!row.get(label).equals("macro")) out.put(row.get(label), row.get(group));
        return out;
    }

    private static String truthText(float t) {
        return Float.isNaN(t) ? "ignored" : t == 1f ? "1" : "0";
    }

    private static String f(double v) {
        if (Double.isNaN(v)) return "nan";
        if (v != 0 && Math.abs(v) < 1e-4) return String.format(Locale.ROOT, "%.3e", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String signed(double v) {
        return Double.isNaN(v) || v < 0 ? f(v) : "+" + f(v);
    }

    private static String field(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
