package org.cxrclip.spark;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code cxrclip spark ...}: the commands that run on a Spark cluster. The launcher script sends
 * {@code ./cxrclip spark ARGS} here with Spark's jars on the class path; {@code spark-submit --class
 * org.cxrclip.spark.SparkMain spark/target/cxrclip-spark.jar ARGS} runs the same commands on a cluster.
 */
@Command(name = "cxrclip spark", mixinStandardHelpOptions = true, version = "cxrclip 0.1.0",
        description = "Scale-out on Apache Spark: distributed embedding, zero-shot scoring and data-parallel training.",
        subcommands = {SparkEmbedCommand.class, SparkZeroShotCommand.class, SparkTrainCommand.class})
public final class SparkMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // "spark" is how ./cxrclip names this command set; spark-submit users may leave it out.
        String[] rest = args.length > 0 && args[0].equals("spark") ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        System.exit(org.cxrclip.engine.io.OutOfMemory.guard("cxrclip spark", () -> run(rest)));
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new SparkMain());
        cl.setExecutionExceptionHandler(SparkMain::reportError);
        return cl.execute(args);
    }

    /** As {@code cxrclip}'s Main: a user's mistake is one line and exit code 1; anything else a stack trace. */
    private static int reportError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        Throwable cause = userError(e);
        if (cause == null && e instanceof org.apache.spark.SparkException && !Boolean.getBoolean("cxrclip.debug")) {
            // A job that failed on the executors: Spark's message carries the task's error; its first lines say it.
            String[] lines = String.valueOf(e.getMessage()).split("\n");
            cmd.getErr().println("spark " + cmd.getCommandName() + ": " + String.join(" ", java.util.Arrays.copyOf(lines, Math.min(2, lines.length))));
            return 1;
        }
        if (cause == null || Boolean.getBoolean("cxrclip.debug")) {
            e.printStackTrace(cmd.getErr());
        } else {
            String msg = cause instanceof java.nio.file.NoSuchFileException nf ? nf.getFile() + ": file not found" : cause.getMessage();
            cmd.getErr().println("spark " + cmd.getCommandName() + ": " + msg);
        }
        return 1;
    }

    /** The user error behind e, looking through Spark's wrapping of task failures; null for a bug. */
    static Throwable userError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (org.cxrclip.engine.io.BadInput.isBadInput(t)) return t;
            if (!(t instanceof org.apache.spark.SparkException)) return null;
        }
        return null;
    }
}
