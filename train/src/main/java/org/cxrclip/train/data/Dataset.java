package org.cxrclip.train.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one in-memory form every reader produces: samples (one per image) in source order, the label names their
 * label vectors follow, and the load summary. Immutable; "with" methods return new data sets.
 */
public final class Dataset {
    private final List<String> labelNames;
    private final List<Sample> samples;
    private final LoadSummary summary;

    public Dataset(List<String> labelNames, List<Sample> samples, LoadSummary summary) {
        this.labelNames = List.copyOf(labelNames);
        this.samples = List.copyOf(samples);
        this.summary = summary;
        for (Sample s : samples)
            if (s.labels().length != labelNames.size())
                throw new IllegalArgumentException(s.image() + ": " + s.labels().length + " labels, the data set has "
                        + labelNames.size());
    }

    public List<String> labelNames() {
        return labelNames;
    }

    public List<Sample> samples() {
        return samples;
    }

    public Sample get(int i) {
        return samples.get(i);
    }

    public int size() {
        return samples.size();
    }

    public LoadSummary summary() {
        return summary;
    }

    /** The patient key of a sample: its patient id, or its image path when the source has no patient ids. */
    public static String patientKey(Sample s) {
        return s.patientId() != null ? s.patientId() : s.image().toString();
    }

    /** Sample indices per patient key, patients in first-seen order. */
    public Map<String, List<Integer>> byPatient() {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (int i = 0; i < samples.size(); i++)
            out.computeIfAbsent(patientKey(samples.get(i)), p -> new ArrayList<>()).add(i);
        return out;
    }

    /** Positives per label. */
    public int[] positives() {
        int[] n = new int[labelNames.size()];
        for (Sample s : samples) for (int k = 0; k < n.length; k++) if (s.positive(k)) n[k]++;
        return n;
    }

    /** The samples whose split equals {@code split} (null selects those without a split). */
    public Dataset split(String split) {
        return new Dataset(labelNames, samples.stream().filter(s -> Objects.equals(s.split(), split)).toList(), summary);
    }

    /** The same data set with each sample's split set from its patient's assignment. */
    public Dataset withSplits(Map<String, String> splitByPatient) {
        List<Sample> out = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            String sp = splitByPatient.get(patientKey(s));
            if (sp == null) throw new IllegalArgumentException("no split for patient " + patientKey(s));
            out.add(s.withSplit(sp));
        }
        return new Dataset(labelNames, out, summary);
    }

    public Dataset withSamples(List<Sample> newSamples) {
        return new Dataset(labelNames, newSamples, summary);
    }
}
