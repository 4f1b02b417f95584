package io.vigil.export.datadog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.MetricKind;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.export.ExportPoint;
import io.vigil.export.config.ExportConfig;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatadogTest {
    private static ExportConfig.Datadog config(String site, String url, String apiKey, String apiKeyEnv,
                                               Boolean distributions, Boolean events) {
        return new ExportConfig.Datadog(true, site, url, apiKey, apiKeyEnv, distributions, events, null);
    }

    @Test
    void sinks_noSiteOrUrl_us1ApiHostAndBothSinksWithDistributions() {
        Datadog.Sinks sinks = Datadog.sinks(config(null, null, null, "DD_API_KEY", null, null),
                Map.of("DD_API_KEY", FakeDatadog.KEY));

        assertThat(sinks.metrics().base()).isEqualTo(URI.create("https://api.datadoghq.com"));
        assertThat(sinks.metrics().distributions()).isTrue();
        assertThat(sinks.metrics().name()).isEqualTo("datadog");
        assertThat(sinks.events()).hasValueSatisfying(e -> {
            assertThat(e.base()).isEqualTo(URI.create("https://api.datadoghq.com"));
            assertThat(e.name()).isEqualTo("datadog-events");
        });
    }

    @Test
    void sinks_site_apiDotSite() {
        Datadog.Sinks sinks = Datadog.sinks(config("datadoghq.eu", null, FakeDatadog.KEY, null, null, null), Map.of());

        assertThat(sinks.metrics().base()).isEqualTo(URI.create("https://api.datadoghq.eu"));
    }

    @Test
    void sinks_eventsAndDistributionsOff_metricsOnlyWithSummaries() {
        Datadog.Sinks sinks = Datadog.sinks(config(null, null, FakeDatadog.KEY, null, false, false), Map.of());

        assertThat(sinks.events()).isEmpty();
        assertThat(sinks.metrics().distributions()).isFalse();
    }

    @Test
    void sinks_urlOverridesSite_keyFromEnvironmentAndExtraTagsReachDatadog() throws Exception {
        try (FakeDatadog dd = new FakeDatadog(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC))) {
            ExportConfig.Datadog c = new ExportConfig.Datadog(true, "datadoghq.eu", dd.base() + "/", null, "DD_KEY",
                    null, null, List.of("env:prod", "team:platform"));
            Datadog.Sinks sinks = Datadog.sinks(c, Map.of("DD_KEY", FakeDatadog.KEY));
            ExportPoint p = Fixtures.point("wedding.ok", MetricKind.GAUGE, Map.of(), 1);

            SendOutcome outcome = sinks.metrics().send(sinks.metrics().encode(List.of(p)).payloads().getFirst());

            assertThat(outcome).isEqualTo(new SendOutcome.Delivered(202));
            assertThat(dd.requests()).singleElement()
                    .satisfies(r -> assertThat(r.path()).isEqualTo("/api/v2/series"));
            assertThat(Fixtures.tags(dd.accepted("/api/v2/series").getFirst())).contains("env:prod", "team:platform");
        }
    }

    @Test
    void sinks_apiKeyEnvNotSet_refusedNamingTheVariable() {
        assertThatThrownBy(() -> Datadog.sinks(config(null, null, null, "DD_API_KEY", null, null), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("export.datadog.apiKeyEnv names DD_API_KEY, which is not set");
    }

    @Test
    void sinks_noKeyAtAll_refusedNamingTheSettings() {
        assertThatThrownBy(() -> Datadog.sinks(config(null, null, null, null, null, null), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiKeyEnv").hasMessageContaining("apiKey");
    }

    @Test
    void sinks_badUrl_refusedWithoutTheKey() {
        assertThatThrownBy(() -> Datadog.sinks(config(null, "ftp://intake.example", FakeDatadog.KEY, null, null, null),
                Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("export.datadog.url")
                .message().doesNotContain(FakeDatadog.KEY);
    }
}
