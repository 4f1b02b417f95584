package io.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil incidents list|show}: the incident records of the emergency chain from the terminal, with the exit
 * codes of {@code vigil alerts}.
 */
@Command(name = "incidents", mixinStandardHelpOptions = true, description = "List incidents and show their timelines.",
        subcommands = {IncidentsCommand.ListIncidents.class, IncidentsCommand.Show.class})
final class IncidentsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Incidents, newest first.")
    static final class ListIncidents implements Callable<Integer> {
        @Mixin
        ApiTarget target = new ApiTarget();

        @Option(names = "--limit", description = "at most this many (default 20)")
        int limit = 20;

        PrintStream out = System.out;
        PrintStream err = System.err;

        @Override
        public Integer call() throws Exception {
            return AlertsCommand.guarded(target, err, () -> {
                JsonNode a = target.send("GET", "/api/v1/incidents?limit=" + limit, null, err);
                if (a == null) {
                    return 1;
                }
                for (JsonNode i : a.path("incidents")) {
                    out.printf(Locale.ROOT, "%-36s %-3s %-12s %s  %s%n", i.path("id").asText(),
                            i.path("priority").asText(), i.path("state").asText(), i.path("openedAt").asText(),
                            i.path("title").asText());
                }
                if (a.path("incidents").isEmpty()) {
                    out.println("no incidents");
                }
                return 0;
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "An incident and its timeline.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ApiTarget target = new ApiTarget();

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        PrintStream out = System.out;
        PrintStream err = System.err;

        @Override
        public Integer call() throws Exception {
            return AlertsCommand.guarded(target, err, () -> {
                JsonNode i = target.send("GET", "/api/v1/incidents/" + URLEncoder.encode(id, StandardCharsets.UTF_8),
                        null, err);
                if (i == null) {
                    return 1;
                }
                out.printf(Locale.ROOT, "%s %s %s: %s%n", i.path("id").asText(), i.path("priority").asText(),
                        i.path("state").asText(), i.path("title").asText());
                out.println("affected weddings: " + String.join(", ", textValues(i.path("affectedWeddings"))));
                for (JsonNode e : i.path("timeline")) {
                    out.printf(Locale.ROOT, "  %s %-12s %-20s %s%n", e.path("at").asText(), e.path("event").asText(),
                            e.path("receiver").isNull() ? "" : e.path("receiver").asText(), e.path("detail").asText());
                }
                return 0;
            });
        }

        private static java.util.List<String> textValues(JsonNode array) {
            java.util.List<String> out = new java.util.ArrayList<>();
            array.forEach(n -> out.add(n.asText()));
            return out;
        }
    }
}
