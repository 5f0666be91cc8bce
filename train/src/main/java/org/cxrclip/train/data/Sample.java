package org.cxrclip.train.data;

import java.nio.file.Path;

/**
 * One image of a data set, whatever file layout it came from. {@code labels} follow the data set's label
 * names, after the uncertain-label policy: 1, 0, or NaN (an uncertain label under the "ignore" policy).
 * {@code row} is the 0-based data row in the source CSV, so a split or a prepared copy can be written back
 * next to the original columns. studyId, view, text and split may be null when the source has none.
 */
public record Sample(int row, Path image, String patientId, String studyId, String view, String text, String split,
        float[] labels) {

    /** 1 when label {@code k} is positive. */
    public boolean positive(int k) {
        return labels[k] == 1f;
    }

    public Sample withSplit(String newSplit) {
        return new Sample(row, image, patientId, studyId, view, text, newSplit, labels);
    }

    public Sample withImage(Path newImage) {
        return new Sample(row, newImage, patientId, studyId, view, text, split, labels);
    }

    public Sample withText(String newText) {
        return new Sample(row, image, patientId, studyId, view, newText, split, labels);
    }
}
