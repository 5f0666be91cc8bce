package org.cxrclip.apps;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cxrclip} command line: every feature is a subcommand with its own {@code --help}. */
@Command(name = "cxrclip", mixinStandardHelpOptions = true, version = "cxrclip 0.1.0",
        description = "Chest X-ray CLIP in pure Java: train, evaluate and inspect vision-language models.",
        subcommands = {EmbedCommand.class, EvalCommand.class, ConvertCommand.class, TokenizeCommand.class,
                BenchCommand.class, ClusterCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::reportError);
        return cl.execute(args);
    }

    /**
     * Bad input (a missing file, a wrong shape, an unknown label...) is the user's to fix: one line naming the
     * command and the problem, exit code 1. Anything else is our bug: the full stack trace.
     * {@code -Dcxrclip.debug=true} always prints the trace.
     */
    private static int reportError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean userError = e instanceof IllegalArgumentException || e instanceof java.io.IOException
                || e instanceof java.io.UncheckedIOException || e instanceof IllegalStateException;
        if (!userError || Boolean.getBoolean("cxrclip.debug")) {
            e.printStackTrace(cmd.getErr());
        } else {
            String msg = e instanceof java.nio.file.NoSuchFileException nf ? nf.getFile() + ": file not found"
                    : e instanceof java.nio.file.AccessDeniedException ad ? ad.getFile() + ": permission denied"
                    : e.getMessage();
            cmd.getErr().println(cmd.getCommandName() + ": " + msg);
        }
        return 1;
    }
}
