package org.cxrclip.train.trainer;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress line of a training run: epoch, step within the epoch, the running mean loss, the lr, throughput
 * (images per second of this epoch) and the time left for the whole run, estimated from this epoch's seconds
 * per step. On a terminal it is redrawn in place after every step; in a log (not a terminal) one line is
 * printed at most every 30 s and at the end of each epoch, so a log file stays readable.
 */
final class TrainProgress {
    private static final long LOG_EVERY_NANOS = 30_000_000_000L;

    private final PrintStream out;
    private final boolean inPlace;
    private int epoch, epochs;
    private long stepsInEpoch, stepsLeftInRun, lastPrint, start;
    private double lossSum;
    private int lossSteps;
    private String lastLine = "";

    TrainProgress(PrintStream out, boolean inPlace) {
        this.out = out;
        this.inPlace = inPlace;
    }

    void startEpoch(int epoch, int epochs, long stepsInEpoch, long stepsLeftInRun) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.stepsInEpoch = stepsInEpoch;
        this.stepsLeftInRun = stepsLeftInRun;
        this.lossSum = 0;
        this.lossSteps = 0;
        this.start = this.lastPrint = System.nanoTime();
    }

    /** After step {@code done} (1-based) of the epoch, {@code images} images trained so far in it. */
    void step(long done, double lr, double loss, int images) {
        if (Double.isFinite(loss)) {
            lossSum += loss;
            lossSteps++;
        }
        long now = System.nanoTime();
        double secs = (now - start) / 1e9;
        double eta = done == 0 ? Double.NaN : secs / done * (stepsLeftInRun - done);
        lastLine = line(epoch + 1, epochs, done, stepsInEpoch, lossSteps == 0 ? Double.NaN : lossSum / lossSteps, lr,
                secs > 0 ? images / secs : Double.NaN, eta);
        if (inPlace) {
            out.print("\r" + lastLine + "   ");
            out.flush();
        } else if (now - lastPrint >= LOG_EVERY_NANOS) {
            out.println(lastLine);
            lastPrint = now;
        }
    }

    void endEpoch() {
        if (inPlace) out.println();
        else if (!lastLine.isEmpty()) out.println(lastLine);
        lastLine = "";
    }

    /** {@code epoch 2/5 step 13/40 loss 0.6931 lr 1.00e-04 12.3 img/s ETA 2m05s}. */
    static String line(int epoch, int epochs, long step, long steps, double loss, double lr, double imagesPerSecond, double etaSeconds) {
        return String.format(Locale.ROOT, "epoch %d/%d step %d/%d loss %.4f lr %.2e %.1f img/s ETA %s", epoch, epochs, step, steps,
                loss, lr, imagesPerSecond, duration(etaSeconds));
    }

    /** 42s, 3m07s, 2h05m; "?" when unknown. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) return "?";
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
