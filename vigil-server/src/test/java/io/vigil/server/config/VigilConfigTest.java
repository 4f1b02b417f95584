package io.vigil.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VigilConfigTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("vigil.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void load_fullFile_readsEverySetting() throws IOException {
        VigilConfig c = VigilConfig.load(file("""
                server: {port: 8080, bind: 0.0.0.0, maxBodyBytes: 1048576}
                storage: {seriesLimitPerMetric: 100, flushInterval: 5s, retentionTenSeconds: 2d}
                auth:
                  keys:
                    - {name: prom, keyEnv: PROM_KEY, roles: [ingest]}
                """));
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.server().bind()).isEqualTo("0.0.0.0");
        assertThat(c.storage().engineConfig().seriesLimitPerMetric()).isEqualTo(100);
        assertThat(c.storage().engineConfig().flushInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.storage().engineConfig().retentionTenSeconds()).isEqualTo(Duration.ofDays(2));
        assertThat(c.auth().keys()).singleElement().extracting(VigilConfig.ApiKeyConfig::keyEnv).isEqualTo("PROM_KEY");
    }

    @Test
    void load_emptyFile_givesDefaults() throws IOException {
        VigilConfig c = VigilConfig.load(file(""));
        assertThat(c.server().port()).isEqualTo(7070);
        assertThat(c.storage().engineConfig().seriesLimitPerMetric()).isEqualTo(50_000);
    }

    @Test
    void load_reportsEveryProblemAtOnce_namingFieldAndValue() throws IOException {
        Path f = file("""
                storage: {flushInterval: soon}
                auth:
                  keys:
                    - {name: a, key: k, sha256: abc, roles: [superuser]}
                    - {name: b, key: k2, roles: []}
                """);
        assertThatThrownBy(() -> VigilConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("storage.flushInterval was 'soon'")
                .hasMessageContaining("auth.keys[0] must have exactly one of key, keyEnv, sha256")
                .hasMessageContaining("auth.keys[0].roles has 'superuser'")
                .hasMessageContaining("auth.keys[0].sha256 must be 64 hex digits")
                .hasMessageContaining("auth.keys[1].roles is empty");
    }

    @Test
    void load_unknownField_isAnError() throws IOException {
        Path f = file("server: {prot: 80}\n");
        assertThatThrownBy(() -> VigilConfig.load(f)).hasMessageContaining("prot");
    }

    @Test
    void load_badPort_isAnError() throws IOException {
        Path f = file("server: {port: 70000}\n");
        assertThatThrownBy(() -> VigilConfig.load(f)).hasMessageContaining("server.port was 70000");
    }

    @Test
    void durationText_acceptsUnitsAndIso_rejectsGarbage() {
        assertThat(DurationText.parse("x", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("x", "2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationText.parse("x", "PT10S")).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> DurationText.parse("storage.flushInterval", "10 parsecs"))
                .hasMessageContaining("storage.flushInterval was '10 parsecs'");
    }

    @Test
    void load_postgresBackend_readsConnectionSettings_andNeverPrintsThePassword() throws IOException {
        VigilConfig c = VigilConfig.load(file("""
                storage:
                  backend: postgres
                  postgres: {url: "jdbc:postgresql://db:5432/vigil", user: vigil, password: s3cret-cake, maxPoolSize: 4}
                """));
        assertThat(c.storage().isPostgres()).isTrue();
        assertThat(c.storage().postgres().url(java.util.Map.of())).isEqualTo("jdbc:postgresql://db:5432/vigil");
        assertThat(c.storage().postgres().password(java.util.Map.of())).isEqualTo("s3cret-cake");
        assertThat(c.storage().postgres().maxPoolSize()).isEqualTo(4);
        assertThat(c.toString()).doesNotContain("s3cret-cake");
    }

    @Test
    void load_postgresSettingsFromTheEnvironment() throws IOException {
        VigilConfig c = VigilConfig.load(file("storage: {backend: postgres, postgres: {passwordEnv: PG_PW}}"));
        java.util.Map<String, String> env = java.util.Map.of("VIGIL_POSTGRES_URL", "jdbc:postgresql://h/v",
                "VIGIL_POSTGRES_USER", "u", "PG_PW", "pw");
        assertThat(c.storage().postgres().url(env)).isEqualTo("jdbc:postgresql://h/v");
        assertThat(c.storage().postgres().user(env)).isEqualTo("u");
        assertThat(c.storage().postgres().password(env)).isEqualTo("pw");
        assertThat(VigilConfig.DEFAULTS.storage().isPostgres()).isFalse();
    }

    @Test
    void load_storageAsAScalar_selectsTheBackend() throws IOException {
        VigilConfig c = VigilConfig.load(file("storage: postgres"));
        assertThat(c.storage().isPostgres()).isTrue();
        assertThat(c.storage().engineConfig().flushInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void load_unknownBackend_isRefusedNamingTheChoices() throws IOException {
        Path f = file("storage: {backend: mysql}");
        assertThatThrownBy(() -> VigilConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("storage.backend was 'mysql' but it must be embedded or postgres");
    }

    @Test
    void load_notifications_receiversAndRoutes_areRead_secretsStayInTheEnvironment() throws IOException {
        Path f = file("""
                notifications:
                  publicUrl: https://vigil.example.com
                  receivers:
                    - name: wedding-emergency
                      type: slack
                      urlEnv: SLACK_URL
                      channel: "#wedding-emergency"
                    - name: team-leads
                      type: email
                      smtp: {host: smtp.example.com, port: 587, security: starttls, username: vigil}
                      secretEnv: SMTP_PASSWORD
                      from: vigil@example.com
                      to: [leads@example.com]
                  routes:
                    - match: [priority=P0, 'route=~"/photos.*"']
                      receivers: [wedding-emergency]
                      incident: true
                      continue: true
                      fallbacks: {wedding-emergency: team-leads}
                    - receivers: [team-leads]
                """);

        VigilConfig c = VigilConfig.load(f);

        assertThat(c.notifications().publicUrl()).isEqualTo("https://vigil.example.com");
        assertThat(c.notifications().receivers()).extracting(r -> r.name() + ":" + r.type())
                .containsExactly("wedding-emergency:slack", "team-leads:email");
        assertThat(c.notifications().receivers().get(0).url(java.util.Map.of("SLACK_URL", "https://hooks.slack.com/x")))
                .isEqualTo("https://hooks.slack.com/x");
        assertThat(c.notifications().routes()).hasSize(2);
        assertThat(c.notifications().routes().get(0).incident()).isTrue();
        assertThat(c.notifications().routes().get(0).continueMatching()).isTrue();
        assertThat(c.notifications().routes().get(0).fallbacks()).containsEntry("wedding-emergency", "team-leads");
        assertThat(VigilConfig.DEFAULTS.notifications().receivers()).isEmpty();
    }

    @Test
    void load_notifications_everyProblemIsReportedWithItsPath() throws IOException {
        Path f = file("""
                notifications:
                  publicUrl: ftp://nope
                  receivers:
                    - {name: hook, type: webhook, url: https://hooks.example.com}
                    - {name: hook, type: carrier-pigeon}
                    - {name: oncall, type: sms, accountSid: AC0123456789abcdef0123456789abcdef, from: "+15005550006"}
                    - {name: mail, type: email, to: [a@example.com], timeout: 10 seconds, smtp: {security: ssl}}
                """);

        assertThatThrownBy(() -> VigilConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("notifications.publicUrl must be an http:// or https:// URL")
                .hasMessageContaining("notifications.receivers[0] (webhook) needs secretEnv")
                .hasMessageContaining("notifications.receivers[1].name 'hook' is used twice")
                .hasMessageContaining("notifications.receivers[1].type must be one of")
                .hasMessageContaining("notifications.receivers[2] (sms) needs accountSid, secretEnv")
                .hasMessageContaining("notifications.receivers[2] (sms) needs recipients")
                .hasMessageContaining("notifications.receivers[3] (email) needs smtp.host")
                .hasMessageContaining("notifications.receivers[3].timeout was '10 seconds' but must be like 500ms")
                .hasMessageContaining("notifications.receivers[3].smtp.security must be none, starttls or tls")
                .hasMessageContaining("notifications.receivers[3] (email) needs from");
        Path badRoute = file("notifications: {routes: [{match: ['priority'], receivers: [x]}]}");
        assertThatThrownBy(() -> VigilConfig.load(badRoute)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("priority");
    }
}
