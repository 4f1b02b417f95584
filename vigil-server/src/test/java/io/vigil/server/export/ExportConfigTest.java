package io.vigil.server.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export section: read from YAML, and a server with a bad one refuses to start, naming every problem. */
class ExportConfigTest {
    @TempDir
    Path dir;

    @Test
    void theSectionIsReadFromYaml() throws Exception {
        Path file = dir.resolve("vigil.yaml");
        Files.writeString(file, """
                export:
                  bufferPoints: 5000
                  dropLabels: [wedding_id, tenant]
                  datadog: {enabled: true, site: datadoghq.eu, apiKeyEnv: DD_API_KEY, tags: ["env:prod"]}
                  newrelic: {enabled: false, region: eu}
                  prometheus: {enabled: false}
                """);
        VigilConfig config = VigilConfig.load(file);
        assertThat(config.export().bufferPointsOrDefault()).isEqualTo(5000);
        assertThat(config.export().dropLabelsOrDefault()).containsExactlyInAnyOrder("wedding_id", "tenant");
        assertThat(config.export().datadog().site()).isEqualTo("datadoghq.eu");
        assertThat(config.export().datadog().tags()).containsExactly("env:prod");
        assertThat(config.export().prometheus().enabled()).isFalse();
        assertThat(config.export().problems(Map.of("DD_API_KEY", "k"))).isEmpty();
    }

    @Test
    void aServerWithABadExportSection_refusesToStart_namingEveryProblem_butNoSecret() throws Exception {
        Path file = dir.resolve("vigil.yaml");
        Files.writeString(file, """
                export:
                  bufferPoints: 10
                  giveUpAfter: soon
                  datadog: {enabled: true, apiKeyEnv: DD_API_KEY, url: "ftp://example"}
                  newrelic: {enabled: true, region: ap, apiKey: nr-secret-value}
                  grafana: {enabled: true, tokenEnv: GRAFANA_TOKEN}
                """);
        VigilConfig config = VigilConfig.load(file);
        assertThatThrownBy(() -> VigilServer.start(dir.resolve("data"), config, "127.0.0.1", 0, Map.of(),
                Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("export.bufferPoints was 10")
                .hasMessageContaining("export.giveUpAfter was 'soon'")
                .hasMessageContaining("export.datadog.apiKeyEnv names DD_API_KEY, which is not set")
                .hasMessageContaining("export.datadog.url was 'ftp://example'")
                .hasMessageContaining("export.newrelic.region was 'ap' but it must be us or eu")
                .hasMessageContaining("export.grafana.url is required")
                .hasMessageContaining("export.grafana.tokenEnv names GRAFANA_TOKEN, which is not set")
                .message().doesNotContain("nr-secret-value");
        // A problem only the exporter's own checks find (a header the exporter sets itself) stops the start too.
        Files.writeString(file, """
                export:
                  otlp: {enabled: true, headers: {Content-Type: text/plain}}
                """);
        assertThatThrownBy(() -> VigilServer.start(dir.resolve("data"), VigilConfig.load(file), "127.0.0.1", 0,
                Map.of(), Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("export config: ").hasMessageContaining("Content-Type");
        // The data directory was released: a corrected config starts.
        try (VigilServer server = VigilServer.start(dir.resolve("data"), VigilConfig.DEFAULTS, "127.0.0.1", 0,
                Map.of("VIGIL_API_KEY", "k"), Clock.systemUTC())) {
            assertThat(server.port()).isPositive();
        }
    }
}
