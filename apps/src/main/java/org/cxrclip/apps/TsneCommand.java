package org.cxrclip.apps;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cxrclip.clip.weights.SafetensorsReader;
import org.cxrclip.clip.weights.WeightTensor;
import org.cxrclip.train.data.Manifest;
import org.cxrclip.train.viz.ScatterPlot;
import org.cxrclip.train.viz.Tsne;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxrclip tsne}: a seeded t-SNE map of embeddings (rows in the manifest's row order, as
 * {@code embed --manifest} writes them), coloured by one label or by each image's first positive label; two
 * embedding files are drawn side by side.
 */
@Command(name = "tsne", mixinStandardHelpOptions = true,
        description = "2-D t-SNE map of embeddings coloured by label, as PNG (exact below 5000 points, Barnes-Hut above).")
final class TsneCommand implements Callable<Integer> {
    @Option(names = "--embeddings", required = true, paramLabel = "E.safetensors",
            description = "Embeddings file; give it twice to compare two models side by side.")
    List<Path> embeddings;

    @Option(names = "--tensor", defaultValue = "image_embeds", description = "Tensor name (default ${DEFAULT-VALUE}).")
    String tensor;

    @Option(names = "--manifest", required = true, paramLabel = "CSV", description = "Manifest whose rows match the embeddings.")
    Path manifest;

    @Option(names = "--label", paramLabel = "NAME", description = "Colour by this label: positive / negative.")
    String label;

    @Option(names = "--color-by", paramLabel = "first-positive",
            description = "first-positive: colour each image by its first positive label (else 'none').")
    String colorBy;

    @Option(names = "--perplexity", defaultValue = "30", description = "Perplexity (default ${DEFAULT-VALUE}).")
    double perplexity;

    @Option(names = "--iterations", defaultValue = "1000", description = "Gradient steps (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "fig.png", description = "Output PNG (written atomically).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (embeddings.size() > 2) throw new IllegalArgumentException("give one or two --embeddings files");
        if ((label == null) == (colorBy == null))
            throw new IllegalArgumentException("give either --label NAME or --color-by first-positive");
        if (colorBy != null && !colorBy.equals("first-positive"))
            throw new IllegalArgumentException("unknown --color-by '" + colorBy + "' (known: first-positive)");
        Manifest m = Manifest.read(manifest);
        List<String> classes = classes(m);
        List<ScatterPlot.Panel> panels = new ArrayList<>();
        for (Path file : embeddings) {
            WeightTensor t = SafetensorsReader.read(file).require(tensor);
            if (t.shape().length != 2)
                throw new IllegalArgumentException(file + ": tensor '" + tensor + "' has shape "
                        + java.util.Arrays.toString(t.shape()) + ", expected (N, D)");
            int n = t.shape()[0], d = t.shape()[1];
            if (n != m.size())
                throw new IllegalArgumentException(file + ": " + n + " rows but the manifest " + manifest + " has "
                        + m.size() + " (embed the same manifest)");
            double[] y = new Tsne(perplexity, iterations, seed).embed(t.toFloats(), n, d);
            panels.add(new ScatterPlot.Panel(file.getFileName().toString(), y, classes));
        }
        ScatterPlot.write(out, panels, 640);
        System.out.println("tsne: " + m.size() + " points, " + panels.size() + " map(s) -> " + out);
        return 0;
    }

    private List<String> classes(Manifest m) {
        List<String> out = new ArrayList<>();
        int col = label == null ? -1 : m.labelNames().indexOf(label);
        if (label != null && col < 0)
            throw new IllegalArgumentException(manifest + ": no label column '" + label + "' (has " + m.labelNames() + ")");
        for (Manifest.Entry e : m.entries()) {
            if (col >= 0) {
                out.add(e.labels()[col] == 1f ? label : "not " + label);
                continue;
            }
            String c = "none";
            for (int j = 0; j < e.labels().length; j++)
                if (e.labels()[j] == 1f) {
                    c = m.labelNames().get(j);
                    break;
                }
            out.add(c);
        }
        return out;
    }
}
