package io.vigil.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command line: {@code serve}, {@code demo}; {@code test} is run by the launcher script. */
@Command(name = "vigil", mixinStandardHelpOptions = true, version = "Vigil 0.1.0",
        description = "Wedding-aware performance monitoring.",
        subcommands = {ServeCommand.class, DemoCommand.class, ImportCommand.class, AlertsCommand.class,
            IncidentsCommand.class},
        footer = {"", "Also, from the repository root:",
            "  ./vigil test   run the whole test suite, starting what the tests need (see README.md)"})
public final class VigilCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = new CommandLine(new VigilCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("vigil: " + e.getMessage());
                    return 1;
                })
                .execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
