package org.cxrclip.train.data;

import java.io.PrintStream;
import java.util.List;

/**
 * Options shared by every data-set reader.
 *
 * @param frontalOnly keep only frontal views (PA, AP, …; see {@link Views}); rows with no view information are
 *     dropped too, and counted, when this is on
 * @param uncertain what −1 labels become (default ZERO, as both papers)
 * @param labels the label subset and order to keep (null = all of the source's labels); an unknown name is an
 *     error naming the known ones
 * @param checkFiles drop (and count) rows whose image file does not exist; off saves one stat per image
 * @param log where the load summary is printed (null = nowhere)
 */
public record LoadOptions(boolean frontalOnly, UncertainPolicy uncertain, List<String> labels, boolean checkFiles,
        PrintStream log) {

    public LoadOptions {
        if (uncertain == null) uncertain = UncertainPolicy.ZERO;
        if (labels != null) labels = List.copyOf(labels);
    }

    public static LoadOptions defaults() {
        return new LoadOptions(false, UncertainPolicy.ZERO, null, true, null);
    }

    public LoadOptions withFrontalOnly(boolean v) {
        return new LoadOptions(v, uncertain, labels, checkFiles, log);
    }

    public LoadOptions withUncertain(UncertainPolicy v) {
        return new LoadOptions(frontalOnly, v, labels, checkFiles, log);
    }

    public LoadOptions withLabels(List<String> v) {
        return new LoadOptions(frontalOnly, uncertain, v, checkFiles, log);
    }

    public LoadOptions withCheckFiles(boolean v) {
        return new LoadOptions(frontalOnly, uncertain, labels, v, log);
    }

    public LoadOptions withLog(PrintStream v) {
        return new LoadOptions(frontalOnly, uncertain, labels, checkFiles, v);
    }
}
