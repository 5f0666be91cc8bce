package org.cxrclip.apps;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cxrclip} command line: every feature is a subcommand with its own {@code --help}. */
@Command(name = "cxrclip", mixinStandardHelpOptions = true, version = "cxrclip 0.1.0",
        description = "Chest X-ray CLIP in pure Java: train, evaluate and inspect vision-language models.",
        subcommands = {BenchCommand.class, TokenizeCommand.class, ConvertCommand.class})
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
        return new CommandLine(new Main()).execute(args);
    }
}
