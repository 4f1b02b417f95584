package io.vigil.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesHandle;
import io.vigil.core.SeriesKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SeriesRegistryTest {
    static SeriesKey key(String metric, int i) {
        return new SeriesKey(metric, Labels.of("instance", "i" + i));
    }

    @Test
    void resolve_concurrentNewSeries_neverPassesTheLimit_andEachKeyHasOneSeries() throws Exception {
        SeriesRegistry registry = new SeriesRegistry(500);
        ConcurrentLinkedQueue<Series> admitted = new ConcurrentLinkedQueue<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 1000; i++) { // every thread tries the same 1,000 keys
                        Series s = registry.resolve(key("m", i), MetricKind.GAUGE);
                        if (s != null) {
                            admitted.add(s);
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertThat(registry.ofMetric("m")).hasSize(500);
        assertThat(registry.size()).isEqualTo(500);
        assertThat(admitted.stream().distinct().count()).isEqualTo(500);
        for (Series s : registry.ofMetric("m")) {
            assertThat(registry.byId(s.id())).isSameAs(s);
            assertThat(registry.resolve(s.key(), MetricKind.GAUGE)).isSameAs(s);
        }
    }

    @Test
    void resolve_limitIsPerMetric() {
        SeriesRegistry registry = new SeriesRegistry(2);
        assertThat(registry.resolve(key("a", 1), MetricKind.GAUGE)).isNotNull();
        assertThat(registry.resolve(key("a", 2), MetricKind.GAUGE)).isNotNull();
        assertThat(registry.resolve(key("a", 3), MetricKind.GAUGE)).isNull();
        assertThat(registry.resolve(key("b", 1), MetricKind.GAUGE)).isNotNull();
        assertThat(registry.resolve(key("a", 1), MetricKind.COUNTER).kind()).isEqualTo(MetricKind.GAUGE);
    }

    @Test
    void resolve_withHandle_cachesTheSeries_andIgnoresAnotherRegistrysSeries() {
        SeriesRegistry first = new SeriesRegistry(10);
        SeriesRegistry second = new SeriesRegistry(10);
        SeriesHandle handle = new SeriesHandle();
        Series s = first.resolve(key("m", 1), MetricKind.GAUGE, handle);
        assertThat(handle.resolved()).isSameAs(s);
        assertThat(first.resolve(key("m", 1), MetricKind.GAUGE, handle)).isSameAs(s);
        Series other = second.resolve(key("m", 1), MetricKind.GAUGE, handle);
        assertThat(other).isNotSameAs(s);
        assertThat(other.registry).isSameAs(second);
    }

    @Test
    void byId_findsEverySeries_acrossTableGrowth() {
        SeriesRegistry registry = new SeriesRegistry(100_000);
        List<Series> all = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            all.add(registry.resolve(key("m", i), MetricKind.GAUGE));
        }
        for (Series s : all) {
            assertThat(registry.byId(s.id())).isSameAs(s);
        }
        assertThat(registry.byId(12345L)).isNull();
    }

    @Test
    void newSeries_keepsInternedStrings() {
        SeriesRegistry registry = new SeriesRegistry(10);
        String route = new String("/api/guests".toCharArray());
        Series s = registry.resolve(new SeriesKey("m", Labels.of("route", route)), MetricKind.GAUGE);
        assertThat(s.key().labels().get("route")).isSameAs("/api/guests");
    }
}
