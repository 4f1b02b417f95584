package io.vigil.alerting.rules;

import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.WriteBatch;
import io.vigil.engine.EngineConfig;
import io.vigil.engine.IngestResult;
import io.vigil.engine.StorageEngine;
import io.vigil.engine.query.QueryEngine;
import io.vigil.store.embedded.EmbeddedMetricStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

/** A real storage engine on the embedded store with a fixed clock, and writers for the data the rule tests need. */
final class TestEngine implements AutoCloseable {
    /** Saturday 13 June 2026, 18:00 UTC: a wedding evening in season, on the hour. */
    static final Instant AT = Instant.parse("2026-06-13T18:00:00Z");

    final StorageEngine engine;
    final QueryEngine query;

    TestEngine(Path dir) {
        this(dir, AT);
    }

    TestEngine(Path dir, Instant now) {
        engine = StorageEngine.openManual(EmbeddedMetricStore.open(dir.resolve("store")), dir.resolve("wal"),
                EngineConfig.DEFAULTS, Clock.fixed(now, ZoneOffset.UTC));
        query = new QueryEngine(engine);
    }

    static Instant ago(Duration d) {
        return AT.minus(d);
    }

    /** Latency observations (seconds) of one series, all at {@code t}. */
    TestEngine latencies(String metric, Instant t, Labels labels, double... seconds) {
        WriteBatch b = new WriteBatch(seconds.length);
        b.beginSeries(new SeriesKey(metric, labels), MetricKind.DISTRIBUTION);
        for (double s : seconds) {
            b.addSample(t.toEpochMilli(), s);
        }
        return write(b);
    }

    /** {@code n} observations of the same latency. */
    TestEngine latencies(String metric, Instant t, Labels labels, int n, double seconds) {
        double[] values = new double[n];
        Arrays.fill(values, seconds);
        return latencies(metric, t, labels, values);
    }

    /** Request counts as increments: {@code ok} with status 200 and {@code failed} with status 500. */
    TestEngine requests(String metric, Instant t, Labels labels, long ok, long failed) {
        WriteBatch b = new WriteBatch();
        for (String status : new String[] {"200", "500"}) {
            long n = status.equals("200") ? ok : failed;
            if (n == 0) {
                continue;
            }
            String[] pairs = new String[labels.size() * 2 + 2];
            for (int i = 0; i < labels.size(); i++) {
                pairs[2 * i] = labels.name(i);
                pairs[2 * i + 1] = labels.value(i);
            }
            pairs[pairs.length - 2] = "status";
            pairs[pairs.length - 1] = status;
            b.beginSeries(new SeriesKey(metric, Labels.of(pairs)), MetricKind.DELTA);
            b.addSample(t.toEpochMilli(), n);
        }
        return write(b);
    }

    TestEngine write(WriteBatch b) {
        IngestResult r = engine.write(b);
        if (r.rejected() > 0) {
            throw new IllegalStateException("test data refused: " + r.errors());
        }
        return this;
    }

    /** Commits the head and downsamples, so that windows older than the 10-second retention can be read. */
    TestEngine flushAndMaintain() {
        engine.flush();
        engine.maintain();
        return this;
    }

    @Override
    public void close() {
        engine.close();
    }
}
