package org.cxrclip.apps;

import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.io.BadInput;
import org.cxrclip.engine.io.OutOfMemory;
import org.cxrclip.engine.backend.Backends;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cxrclip} command line: every feature is a subcommand with its own {@code --help}. */
@Command(name = "cxrclip", mixinStandardHelpOptions = true, version = "cxrclip 0.1.0",
        description = "Chest X-ray CLIP in pure Java: train, evaluate and inspect vision-language models.",
        footer = {"", "Start with: cxrclip demo.  On Apache Spark: cxrclip spark embed|zero-shot|train (the launcher runs the spark module)."},
        subcommands = {EmbedCommand.class, EvalCommand.class, ConvertCommand.class, TokenizeCommand.class,
                TrainCommand.class, ClusterCommand.class, TsneCommand.class, BenchCommand.class, DevicesCommand.class,
                DataCommand.class, DemoCommand.class, GenerateCommand.class, picocli.AutoComplete.GenerateCompletion.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where tensors live: cpu (default), reference, opencl (first GPU) or opencl:N; accepted by every subcommand. */
    @CommandLine.Option(names = "--device", scope = CommandLine.ScopeType.INHERIT, paramLabel = "cpu|opencl[:N]",
            description = "Compute device: cpu (default), opencl (first GPU, else first OpenCL device) or opencl:N "
                    + "(see 'cxrclip devices'). Also -Dcxrclip.device.")
    String device;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(OutOfMemory.guard("cxrclip", () -> run(args)));
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        cl.setExecutionExceptionHandler(Main::reportError);
        // --device picks the default backend once, before the command runs; restored after (tests run many commands).
        Backend before = Backends.defaultBackend();
        cl.setExecutionStrategy(parsed -> {
            if (main.device != null) {
                try {
                    Backends.setDefault(Backends.byName(main.device));
                } catch (IllegalArgumentException | IllegalStateException e) {
                    cl.getErr().println("cxrclip: --device " + main.device + ": " + e.getMessage());
                    return 1;
                }
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        try {
            return cl.execute(args);
        } finally {
            Backends.setDefault(before);
        }
    }

    /**
     * Bad input (a missing file, a wrong shape, an unknown label, a corrupt weight file: {@link BadInput}) is the
     * user's to fix: one line naming the command and the problem, exit code 1. Anything else is our bug: the full stack trace.
     * {@code -Dcxrclip.debug=true} always prints the trace.
     */
    private static int reportError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (!BadInput.isBadInput(e) || Boolean.getBoolean("cxrclip.debug")) {
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
