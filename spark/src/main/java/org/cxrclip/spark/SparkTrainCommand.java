package org.cxrclip.spark;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder replaced by the data-parallel trainer. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Data-parallel CLS/CML training on Spark (barrier mode).")
final class SparkTrainCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new IllegalStateException("spark train: not available yet");
    }
}
