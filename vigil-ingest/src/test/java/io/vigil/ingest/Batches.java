package io.vigil.ingest;

import io.vigil.core.Distribution;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.WriteBatch;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Test fixtures: a fixed clock (Saturday 1 June 2024, 14:00 UTC) and a flat view of a {@link WriteBatch}. */
public final class Batches {
    public static final long NOW = 1_717_250_400_000L;
    public static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    private Batches() {}

    /** One decoded sample with its series. */
    public record Sample(SeriesKey key, MetricKind kind, long timestamp, double value, Distribution distribution) {}

    public static List<Sample> samples(WriteBatch batch) {
        List<Sample> out = new ArrayList<>();
        for (int s = 0; s < batch.seriesCount(); s++) {
            for (int i = batch.firstSample(s); i < batch.endSample(s); i++) {
                out.add(new Sample(batch.key(s), batch.kind(s), batch.timestamp(i), batch.value(i),
                        batch.distribution(i)));
            }
        }
        return out;
    }

    /** The only sample of a batch; fails when there is not exactly one. */
    public static Sample only(WriteBatch batch) {
        List<Sample> samples = samples(batch);
        if (samples.size() != 1) {
            throw new AssertionError("expected one sample but got " + samples + ", errors " + batch.errors());
        }
        return samples.get(0);
    }
}
