package org.cxrclip.train.data;

/**
 * The three parts a training run uses, all patient-disjoint:
 * <ul>
 *   <li>train: the manifest's {@code train} rows; without a split column, the train part of a seeded,
 *       stratified 80:20 patient split ({@link PatientSplits#trainVal});</li>
 *   <li>val (scored every epoch, drives ReduceLROnPlateau): the manifest's {@code val} rows; when there are
 *       none, a seeded 10 % of train's patients carved out of train (none when train has fewer than
 *       {@value #MIN_TO_CARVE} images);</li>
 *   <li>test (scored once at the end of fine-tuning): the manifest's {@code test} rows, else the held-out 20 %
 *       of the patient split; empty when the manifest has train rows but no test rows.</li>
 * </ul>
 * {@code heldOut} says that test is the patient split's held-out part rather than the manifest's.
 */
public record RunSplits(Dataset train, Dataset val, Dataset test, boolean heldOut) {
    /** Below this many train images no validation part is carved out of train. */
    public static final int MIN_TO_CARVE = 10;
    /** The share of train's patients carved out as validation when the manifest has no val rows. */
    public static final double VAL_FRACTION = 0.1;

    public static RunSplits of(Dataset all, long seed) {
        boolean hasTrain = all.samples().stream().map(Sample::split).anyMatch("train"::equals);
        Dataset train, test;
        if (hasTrain) {
            train = all.split("train");
            test = all.split("test");
        } else {
            Dataset split = all.withSplits(PatientSplits.trainVal(all, 0.2, seed));
            train = split.split("train");
            test = split.split("val");
        }
        Dataset val = hasTrain ? all.split("val") : train.withSamples(java.util.List.of());
        if (val.size() == 0 && train.size() >= MIN_TO_CARVE) {
            Dataset carved = train.withSplits(PatientSplits.trainVal(train, VAL_FRACTION, seed ^ 0x5A17L));
            Dataset rest = carved.split("train"), v = carved.split("val");
            if (rest.size() >= 2 && v.size() > 0) {
                train = rest;
                val = v;
            }
        }
        return new RunSplits(train, val, test, !hasTrain);
    }
}
