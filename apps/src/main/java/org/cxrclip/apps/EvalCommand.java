package org.cxrclip.apps;

import picocli.CommandLine.Command;

/** {@code cxrclip eval ...}: evaluation protocols. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a model (zero-shot, linear probe) and compare evaluations.",
        subcommands = {ZeroShotCommand.class, LinearProbeCommand.class, CompareCommand.class})
final class EvalCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
