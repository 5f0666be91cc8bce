package org.cxrclip.engine.io;

/**
 * What a command line says when the Java heap runs out: the heap's size and how to give the JVM more, instead of
 * an OutOfMemoryError's stack trace. By the time the error reaches the command line the arrays of the failed
 * work are unreachable, so composing this message does not fail itself.
 */
public final class OutOfMemory {
    private OutOfMemory() {}

    /**
     * Runs a command line and returns its exit code; if the heap runs out, prints {@link #message} to stderr
     * (and the trace with {@code -Dcxrclip.debug=true}) and returns 1.
     */
    public static int guard(String command, java.util.function.IntSupplier run) {
        try {
            return run.getAsInt();
        } catch (OutOfMemoryError e) {
            if (Boolean.getBoolean("cxrclip.debug")) e.printStackTrace();
            System.err.println(message(command, e));
            return 1;
        }
    }

    /** One line for {@code command} (e.g. "cxrclip"), naming the maximum heap and the setting that raises it. */
    public static String message(String command, OutOfMemoryError e) {
        long maxMb = Runtime.getRuntime().maxMemory() >> 20;
        return command + ": out of memory (" + e.getMessage() + ") with a Java heap of at most " + maxMb + " MB. "
                + "Give the JVM more, e.g. CXRCLIP_JAVA_OPTS=-Xmx16g (spark-submit: --driver-memory / "
                + "--executor-memory), or lower --batch.";
    }
}
