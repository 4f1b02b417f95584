package io.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil alerts list|ack|silence|history}: the alerting API of a running Vigil from the terminal. Exit status 0
 * on success, 1 when Vigil refused the request (its message is printed), 2 when it could not be reached.
 */
@Command(name = "alerts", mixinStandardHelpOptions = true, description = "List, acknowledge and silence alerts.",
        subcommands = {AlertsCommand.ListAlerts.class, AlertsCommand.Ack.class, AlertsCommand.SilenceCmd.class,
            AlertsCommand.History.class})
final class AlertsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs a subcommand's body with the exit codes of the class comment. */
    interface Body {
        Integer run() throws Exception;
    }

    static Integer guarded(ApiTarget t, PrintStream err, Body body) throws Exception {
        try {
            return body.run();
        } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
            err.println("vigil alerts: cannot reach " + t.url + ": " + e.getMessage());
            return 2;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Alerts, most urgent first.")
    static final class ListAlerts implements Callable<Integer> {
        @Mixin
        ApiTarget target = new ApiTarget();

        @Option(names = "--state", description = "firing, pending, resolved (default: all)")
        String state;

        PrintStream out = System.out;
        PrintStream err = System.err;

        @Override
        public Integer call() throws Exception {
            return guarded(target, err, () -> {
                JsonNode a = target.send("GET", "/api/v1/alerts" + (state == null ? "" : "?state="
                        + URLEncoder.encode(state, StandardCharsets.UTF_8)), null, err);
                if (a == null) {
                    return 1;
                }
                JsonNode ctx = a.path("context");
                out.printf(Locale.ROOT, "context: season=%s peak=%s active weddings=%d estimated load=%.0f%n",
                        ctx.path("weddingSeason").asBoolean(), ctx.path("peakTime").asBoolean(),
                        ctx.path("activeWeddings").size(), ctx.path("estimatedWeddingLoad").asDouble());
                for (JsonNode alert : a.path("alerts")) {
                    out.printf(Locale.ROOT, "%-3s %-9s %-16s %-34s %s%s%n", alert.path("priority").asText("-"),
                            alert.path("state").asText(), alert.path("fingerprint").asText(),
                            alert.path("rule").asText(), alert.path("explanation").asText(alert.path("summary").asText()),
                            alert.path("acknowledgedBy").isNull() ? "" : " (acknowledged by "
                                    + alert.path("acknowledgedBy").asText() + ")");
                }
                if (a.path("alerts").isEmpty()) {
                    out.println("no alerts");
                }
                return 0;
            });
        }
    }

    @Command(name = "ack", mixinStandardHelpOptions = true, description = "Acknowledge an alert by fingerprint.")
    static final class Ack implements Callable<Integer> {
        @Mixin
        ApiTarget target = new ApiTarget();

        @Parameters(index = "0", paramLabel = "FINGERPRINT")
        String fingerprint;

        @Option(names = "--comment", description = "why, or what is being done")
        String comment;

        PrintStream out = System.out;
        PrintStream err = System.err;

        @Override
        public Integer call() throws Exception {
            return guarded(target, err, () -> {
                String body = new ObjectMapper().writeValueAsString(comment == null ? java.util.Map.of()
                        : java.util.Map.of("comment", comment));
                JsonNode a = target.send("POST", "/api/v1/alerts/" + URLEncoder.encode(fingerprint,
                        StandardCharsets.UTF_8) + "/ack", body, err);
                if (a == null) {
                    return 1;
                }
                out.println("acknowledged " + fingerprint + " (applied within a second)");
                return 0;
            });
        }
    }

    @Command(name = "silence", mixinStandardHelpOptions = true,
            description = "Silence alerts matching label matchers, e.g. alertname=photo-upload.avg.high 'wedding_id=~w-06.*'.")
    static final class SilenceCmd implements Callable<Integer> {
        @Mixin
        ApiTarget target = new ApiTarget();

        @Parameters(arity = "1..*", paramLabel = "MATCHER")
        List<String> matchers;

        @Option(names = "--for", defaultValue = "1h", description = "how long (default: ${DEFAULT-VALUE}), e.g. 30m, 2h")
        String duration;

        @Option(names = "--comment", description = "why")
        String comment;

        PrintStream out = System.out;
        PrintStream err = System.err;

        @Override
        public Integer call() throws Exception {
            return guarded(target, err, () -> {
                Duration d = io.vigil.server.config.DurationText.parse("--for", duration);
                java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
                body.put("matchers", matchers);
                body.put("endsAt", Instant.now().plus(d).toString());
                if (comment != null) {
                    body.put("comment", comment);
                }
                JsonNode a = target.send("POST", "/api/v1/silences", new ObjectMapper().writeValueAsString(body), err);
                if (a == null) {
                    return 1;
                }
                out.println("silence " + a.path("id").asText() + " until " + a.path("endsAt").asText());
                return 0;
            });
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "What happened to alerts, newest first.")
    static final class History implements Callable<Integer> {
        @Mixin
        ApiTarget target = new ApiTarget();

        @Option(names = "--limit", defaultValue = "50")
        int limit;

        PrintStream out = System.out;
        PrintStream err = System.err;

        @Override
        public Integer call() throws Exception {
            return guarded(target, err, () -> {
                JsonNode a = target.send("GET", "/api/v1/alerts/history?limit=" + limit, null, err);
                if (a == null) {
                    return 1;
                }
                for (JsonNode h : a.path("history")) {
                    out.printf(Locale.ROOT, "%s %-20s %-34s %s -> %s %s%n", h.path("at").asText(),
                            h.path("event").asText(), h.path("ruleId").asText(), h.path("from").asText(""),
                            h.path("to").asText(""), h.path("detail").asText(""));
                }
                return 0;
            });
        }
    }
}
