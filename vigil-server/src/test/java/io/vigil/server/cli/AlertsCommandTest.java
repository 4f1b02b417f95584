package io.vigil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil alerts ...} against a real server. */
class AlertsCommandTest {
    static final String KEY = "alerts-cli-key";

    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private <T extends ApiTarget> T target(T t, int port) throws Exception {
        t.url = URI.create("http://127.0.0.1:" + port);
        t.keyFile = dir.resolve("key");
        Files.writeString(t.keyFile, KEY);
        return t;
    }

    @Test
    void listSilenceAckHistory_talkToTheApi_andSayWhatWentWrong() throws Exception {
        try (VigilServer server = VigilServer.start(dir.resolve("data"), VigilConfig.DEFAULTS, "127.0.0.1", 0,
                Map.of("VIGIL_API_KEY", KEY), Clock.systemUTC())) {
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

            AlertsCommand.ListAlerts list = new AlertsCommand.ListAlerts();
            target(list.target, server.port());
            list.out = o;
            list.err = e;
            assertThat(list.call()).isZero();
            assertThat(out.toString()).contains("context: season=").contains("no alerts");

            AlertsCommand.SilenceCmd silence = new AlertsCommand.SilenceCmd();
            target(silence.target, server.port());
            silence.matchers = List.of("alertname=http.p95.high");
            silence.duration = "2h";
            silence.comment = "search index rebuild";
            silence.out = o;
            silence.err = e;
            assertThat(silence.call()).isZero();
            assertThat(out.toString()).contains("silence ").contains(" until ");

            AlertsCommand.Ack ack = new AlertsCommand.Ack();
            target(ack.target, server.port());
            ack.fingerprint = "0123456789abcdef";
            ack.out = o;
            ack.err = e;
            assertThat(ack.call()).as("no such alert").isEqualTo(1);
            assertThat(err.toString()).contains("404").contains("no alert with fingerprint");

            AlertsCommand.History history = new AlertsCommand.History();
            target(history.target, server.port());
            history.limit = 10;
            history.out = o;
            history.err = e;
            assertThat(history.call()).isZero();
        }
        AlertsCommand.ListAlerts down = new AlertsCommand.ListAlerts();
        target(down.target, 1);
        down.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(down.call()).isEqualTo(2);
        assertThat(err.toString()).contains("cannot reach http://127.0.0.1:1");
    }
}
