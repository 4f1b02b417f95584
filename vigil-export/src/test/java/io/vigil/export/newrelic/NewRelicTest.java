package io.vigil.export.newrelic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.outbound.SendOutcome;
import io.vigil.export.ExportPoint;
import io.vigil.export.TestPoints;
import io.vigil.export.config.ExportConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NewRelicTest {

    @Test
    void sink_region_choosesTheUsOrEuEndpoint_andUrlOverridesIt() {
        Map<String, String> env = Map.of("NR_KEY", FakeNewRelic.KEY);

        assertThat(NewRelic.sink(new ExportConfig.NewRelic(true, null, null, null, "NR_KEY"), env).endpoint())
                .isEqualTo(URI.create("https://metric-api.newrelic.com/metric/v1"));
        assertThat(NewRelic.sink(new ExportConfig.NewRelic(true, "eu", null, null, "NR_KEY"), env).endpoint())
                .isEqualTo(URI.create("https://metric-api.eu.newrelic.com/metric/v1"));
        assertThat(NewRelic.sink(new ExportConfig.NewRelic(true, "eu", "http://proxy:8080/", null, "NR_KEY"), env)
                .endpoint()).isEqualTo(URI.create("http://proxy:8080/metric/v1"));
        assertThat(NewRelic.sink(new ExportConfig.NewRelic(true, null, "http://proxy:8080/metric/v1", null, "NR_KEY"),
                env).endpoint()).isEqualTo(URI.create("http://proxy:8080/metric/v1"));
    }

    @Test
    void sink_apiKeyFromTheEnvironment_isSentInTheApiKeyHeader() {
        try (FakeNewRelic newRelic = new FakeNewRelic()) {
            NewRelicMetricsSink sink = NewRelic.sink(new ExportConfig.NewRelic(true, null,
                    newRelic.receiver.uri("").toString(), null, "NR_KEY"), Map.of("NR_KEY", FakeNewRelic.KEY));
            ExportPoint p = TestPoints.at(TestPoints.gauge("db_pool_active", Map.of(), 47), System.currentTimeMillis(),
                    TestPoints.PEAK);

            assertThat(sink.send(sink.encode(List.of(p)).payloads().getFirst()))
                    .isEqualTo(new SendOutcome.Delivered(202));
            assertThat(newRelic.receiver.requests().getFirst().header("Api-Key")).isEqualTo(FakeNewRelic.KEY);
        }
    }

    @Test
    void sink_badBlock_failsNamingEverySettingButNeverTheKeysValue() {
        String key = "NRAK-LEAKED\nInjected: yes";

        assertThatThrownBy(() -> NewRelic.sink(new ExportConfig.NewRelic(true, "mars", "ftp://x", key, null), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("export.newrelic.apiKey must be printable ASCII")
                .hasMessageContaining("export.newrelic.region was 'mars' but it must be us or eu")
                .hasMessageContaining("export.newrelic.url was 'ftp://x'")
                .message().doesNotContain("NRAK-LEAKED");
        assertThatThrownBy(() -> NewRelic.sink(new ExportConfig.NewRelic(true, null, null, null, "NR_KEY"), Map.of()))
                .hasMessage("export.newrelic.apiKeyEnv names NR_KEY, which is not set");
        assertThatThrownBy(() -> NewRelic.sink(new ExportConfig.NewRelic(true, null, null, null, null), Map.of()))
                .hasMessage("export.newrelic needs apiKeyEnv (the environment variable holding the apiKey) or apiKey");
    }
}
