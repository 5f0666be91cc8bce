package org.cxrclip.apps;

import picocli.CommandLine.Command;

/** {@code cxrclip bench ...}: speed measurements that print one parseable line each. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure kernel and model speed on this machine.",
        subcommands = {BenchGemmCommand.class, BenchEncodeCommand.class, BenchTrainStepCommand.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
