package io.vigil.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.vigil.core.Aggregate;
import io.vigil.core.Distribution;
import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.store.MetricStore;
import io.vigil.store.Rollup;
import io.vigil.store.SeriesChanges;
import io.vigil.store.SeriesRecord;
import io.vigil.store.StorageException;
import io.vigil.store.Tier;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link MetricStore} backend passes, with the same answers: the embedded SQLite store and the
 * PostgreSQL store both extend it (in their test sources) and implement two hooks.
 *
 * <ul>
 *   <li>{@link #clear()} wipes every series, rollup, checkpoint and downsample watermark at the backend's test
 *       location. It runs before each test, while no store of this suite is open.
 *   <li>{@link #newStore()} opens a store on that location. Tests call it again after {@link MetricStore#close()}
 *       to prove that acknowledged writes survive a reopen, so it must reopen the same data, not a fresh copy.
 * </ul>
 *
 * <p>A backend that cannot reach its database fails these tests; it does not skip them. A backend that differs on
 * purpose overrides the test with {@code @Disabled("reason, issue #n")}.
 *
 * <p>Every timestamp is fixed: the tests take place on Saturday 13 June 2026 from 18:00 UTC ({@link #CLOCK}), a
 * wedding evening, never at the wall-clock time. The fixtures below (series, aggregate builders, {@link #readAll})
 * are shared so that backend-specific tests can use them too.
 */
public abstract class MetricStoreContract {
    /** Saturday 13 June 2026, 18:00 UTC: the fixed "now" of the suite. */
    protected static final Instant SATURDAY_EVENING = Instant.parse("2026-06-13T18:00:00Z");
    /** A clock fixed at {@link #SATURDAY_EVENING}, for backend tests that need one. */
    protected static final Clock CLOCK = Clock.fixed(SATURDAY_EVENING, ZoneOffset.UTC);
    /** {@link #SATURDAY_EVENING} in epoch milliseconds; aligned to every tier (it is a whole hour). */
    protected static final long T0 = SATURDAY_EVENING.toEpochMilli();
    /** Tier widths in milliseconds. */
    protected static final long TEN_SECONDS = Tier.TEN_SECONDS.widthMillis();
    protected static final long MINUTE = Tier.ONE_MINUTE.widthMillis();
    protected static final long HOUR = Tier.ONE_HOUR.widthMillis();

    /** A counter of RSVP page requests. */
    protected static final SeriesRecord REQUESTS = new SeriesRecord(
            new SeriesKey("http_server_requests_total", Labels.of("route", "/rsvp", "status", "200")),
            MetricKind.COUNTER);
    /** Request latency in milliseconds, one observation per request. */
    protected static final SeriesRecord LATENCY = new SeriesRecord(
            new SeriesKey("http_server_duration_ms", Labels.of("route", "/rsvp", "method", "POST")),
            MetricKind.DISTRIBUTION);
    /** A gauge whose labels need escaping in every storage format: quotes, backslash, newline, non-ASCII, emoji. */
    protected static final SeriesRecord TEMPERATURE = new SeriesRecord(
            new SeriesKey("venue_temperature_celsius", Labels.of(
                    "venue", "Château \"La Roseraie\"\nterrace", "room", "salle 1\\2", "note", "💍 ünïcødé ,={}")),
            MetricKind.GAUGE);
    /** An explicit-bucket histogram of queue waits, without labels. */
    protected static final SeriesRecord BUFFET_WAIT = new SeriesRecord(
            new SeriesKey("buffet_wait_seconds", Labels.EMPTY), MetricKind.HISTOGRAM);
    /** Delta increments (each sample is an increment). */
    protected static final SeriesRecord CHECKINS = new SeriesRecord(
            new SeriesKey("guest_checkins", Labels.of("door", "garden")), MetricKind.DELTA);

    /** The store under test, opened before each test and closed after it. */
    protected MetricStore store;

    /** Opens a store on the backend's test location; called again after close() to reopen the same data. */
    protected abstract MetricStore newStore();

    /** Wipes all data at the test location; called before each test, with no store of this suite open. */
    protected abstract void clear();

    /**
     * Replaces the stored encoding of every rollup of a tier with {@code data}, behind the store's back (the
     * backend's own SQL), to show how the store reports a corrupt row.
     */
    protected abstract void overwriteStoredRollups(Tier tier, byte[] data) throws Exception;

    @BeforeEach
    void openCleanStore() {
        clear();
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    // --- series -----------------------------------------------------------------------------------------------------

    @Test
    void loadSeries_newStore_isEmpty() {
        assertThat(store.loadSeries()).isEmpty();
    }

    @Test
    void commit_thenLoadSeries_returnsEverySeriesOnce() {
        store.commit(List.of(REQUESTS, TEMPERATURE), List.of(), 1);
        store.commit(List.of(REQUESTS, LATENCY, REQUESTS, BUFFET_WAIT, CHECKINS), List.of(), 2);

        List<SeriesRecord> loaded = store.loadSeries();

        assertThat(loaded).containsExactlyInAnyOrder(REQUESTS, TEMPERATURE, LATENCY, BUFFET_WAIT, CHECKINS);
        Map<Long, SeriesRecord> byId = new HashMap<>();
        loaded.forEach(s -> byId.put(s.id(), s));
        assertThat(byId.get(TEMPERATURE.id()).key().labels()).isEqualTo(TEMPERATURE.key().labels());
        assertThat(byId.get(TEMPERATURE.id()).key().labels().get("venue")).isEqualTo("Château \"La Roseraie\"\nterrace");
        assertThat(byId.get(REQUESTS.id()).kind()).isEqualTo(MetricKind.COUNTER);
        assertThat(byId.get(BUFFET_WAIT.id()).kind()).isEqualTo(MetricKind.HISTOGRAM);
    }

    @Test
    void seriesAfter_returnsOnlySeriesCommittedSinceTheCursor() {
        SeriesChanges empty = store.seriesAfter(0);
        assertThat(empty.series()).isEmpty();
        store.commit(List.of(REQUESTS, TEMPERATURE), List.of(), 1);
        SeriesChanges first = store.seriesAfter(empty.cursor());
        store.commit(List.of(REQUESTS, LATENCY), List.of(), 2);
        SeriesChanges second = store.seriesAfter(first.cursor());
        SeriesChanges none = store.seriesAfter(second.cursor());

        assertThat(first.series()).containsExactlyInAnyOrder(REQUESTS, TEMPERATURE);
        assertThat(second.series()).as("REQUESTS was already known").containsExactly(LATENCY);
        assertThat(none.series()).isEmpty();
        assertThat(store.seriesAfter(0).series()).containsExactlyInAnyOrder(REQUESTS, TEMPERATURE, LATENCY);
        store.commit(List.of(CHECKINS), List.of(), 3);
        assertThat(store.seriesAfter(none.cursor()).series()).containsExactly(CHECKINS);
    }

    @Test
    void commit_existingSeries_keepsStoredKind() {
        store.commit(List.of(REQUESTS), List.of(), 1);
        store.commit(List.of(new SeriesRecord(REQUESTS.key(), MetricKind.GAUGE)), List.of(), 2);

        assertThat(store.loadSeries()).containsExactly(REQUESTS);
    }

    // --- commit and read ---------------------------------------------------------------------------------------------

    @Test
    void read_givesTheVisitorAggregatesOfItsOwn_thatItMayChange() {
        Aggregate b0 = aggregate(MetricKind.GAUGE, T0, 20.5, 21.0);
        store.commit(List.of(TEMPERATURE), List.of(rollup(TEMPERATURE, T0, b0)), 1);

        List<Row> first = readAll(Tier.TEN_SECONDS, ids(TEMPERATURE), T0, T0 + HOUR);
        first.get(0).aggregate().add(T0 + 1, 99.0, MetricKind.GAUGE);
        List<Row> second = readAll(Tier.TEN_SECONDS, ids(TEMPERATURE), T0, T0 + HOUR);

        assertThat(second.get(0).aggregate()).isNotSameAs(first.get(0).aggregate());
        assertSameAggregate(second.get(0).aggregate(), b0);
    }

    @Test
    void commit_thenRead_returnsRollupsInBucketOrder() {
        Aggregate b0 = aggregate(MetricKind.GAUGE, T0, 20.5, 21.0);
        Aggregate b1 = aggregate(MetricKind.GAUGE, T0 + TEN_SECONDS, 21.5);
        Aggregate b2 = aggregate(MetricKind.GAUGE, T0 + 2 * TEN_SECONDS, 22.0, 22.5, 23.0);
        store.commit(List.of(TEMPERATURE), List.of(
                rollup(TEMPERATURE, T0 + 2 * TEN_SECONDS, b2), rollup(TEMPERATURE, T0, b0)), 1);
        store.commit(List.of(), List.of(rollup(TEMPERATURE, T0 + TEN_SECONDS, b1)), 2);

        List<Row> rows = readAll(Tier.TEN_SECONDS, ids(TEMPERATURE), T0, T0 + HOUR);

        assertThat(rows).extracting(Row::bucketStart).containsExactly(T0, T0 + TEN_SECONDS, T0 + 2 * TEN_SECONDS);
        assertThat(rows).extracting(Row::seriesId).containsOnly(TEMPERATURE.id());
        assertSameAggregate(rows.get(0).aggregate(), b0);
        assertSameAggregate(rows.get(1).aggregate(), b1);
        assertSameAggregate(rows.get(2).aggregate(), b2);
    }

    @Test
    void read_filtersBySeriesIdsAndHalfOpenRange() {
        List<Rollup> rollups = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rollups.add(rollup(TEMPERATURE, T0 + i * TEN_SECONDS, aggregate(MetricKind.GAUGE, T0 + i * TEN_SECONDS, i)));
            rollups.add(rollup(LATENCY, T0 + i * TEN_SECONDS, aggregate(MetricKind.DISTRIBUTION, T0 + i * TEN_SECONDS, 100 + i)));
        }
        store.commit(List.of(TEMPERATURE, LATENCY), rollups, 1);

        List<Row> rows = readAll(Tier.TEN_SECONDS, ids(TEMPERATURE), T0 + TEN_SECONDS, T0 + 4 * TEN_SECONDS);

        assertThat(rows).extracting(Row::seriesId).containsOnly(TEMPERATURE.id());
        assertThat(rows).extracting(Row::bucketStart)
                .containsExactly(T0 + TEN_SECONDS, T0 + 2 * TEN_SECONDS, T0 + 3 * TEN_SECONDS);
        assertThat(rows).extracting(r -> r.aggregate().sum()).containsExactly(1.0, 2.0, 3.0);
        assertThat(readAll(Tier.TEN_SECONDS, ids(TEMPERATURE, LATENCY), T0 + TEN_SECONDS, T0 + TEN_SECONDS)).isEmpty();
        assertThat(readAll(Tier.TEN_SECONDS, ids(TEMPERATURE, LATENCY), T0, T0 + 1)).hasSize(2);
        assertThat(readAll(Tier.TEN_SECONDS, new long[0], T0, T0 + HOUR)).isEmpty();
    }

    @Test
    void read_withoutDistributions_givesTheSameScalarsAndNoPercentiles() {
        Aggregate latency = aggregate(MetricKind.DISTRIBUTION, T0, 120, 80, 300);
        Aggregate buffet = histogram(T0, new double[] {0.5, 1, 5, 30}, new long[] {3, 10, 40, 6, 1}, 220.0, 0.2, 61.0);
        store.commit(List.of(LATENCY, BUFFET_WAIT), List.of(rollup(LATENCY, T0, latency), rollup(BUFFET_WAIT, T0, buffet)),
                1);

        List<Row> rows = new ArrayList<>();
        store.read(Tier.TEN_SECONDS, ids(LATENCY, BUFFET_WAIT), T0, T0 + HOUR, false,
                (id, bucket, a) -> rows.add(new Row(id, bucket, a)));

        assertThat(rows).hasSize(2);
        for (Row r : rows) {
            Aggregate expected = r.seriesId() == LATENCY.id() ? latency : buffet;
            assertThat(r.aggregate().samples()).isEqualTo(expected.samples());
            assertThat(r.aggregate().observations()).isEqualTo(expected.observations());
            assertThat(r.aggregate().sum()).isEqualTo(expected.sum());
            assertThat(r.aggregate().max()).isEqualTo(expected.max());
            assertThat(r.aggregate().quantile(0.5)).as("no distribution was read").isNaN();
        }
    }

    @Test
    void read_unknownSeries_ignored() {
        store.commit(List.of(TEMPERATURE), List.of(rollup(TEMPERATURE, T0, aggregate(MetricKind.GAUGE, T0, 19))), 1);

        assertThat(readAll(Tier.TEN_SECONDS, new long[] {42L, TEMPERATURE.id(), -7L}, T0, T0 + HOUR))
                .extracting(Row::seriesId).containsExactly(TEMPERATURE.id());
        assertThat(readAll(Tier.TEN_SECONDS, new long[] {42L}, T0, T0 + HOUR)).isEmpty();
    }

    @Test
    void read_duplicateIds_visitsEachRowOnce() {
        store.commit(List.of(TEMPERATURE), List.of(rollup(TEMPERATURE, T0, aggregate(MetricKind.GAUGE, T0, 19))), 1);

        assertThat(readAll(Tier.TEN_SECONDS, ids(TEMPERATURE, TEMPERATURE, TEMPERATURE), T0, T0 + HOUR)).hasSize(1);
    }

    @Test
    void read_otherTier_isEmpty() {
        store.commit(List.of(TEMPERATURE), List.of(rollup(TEMPERATURE, T0, aggregate(MetricKind.GAUGE, T0, 19))), 1);

        assertThat(readAll(Tier.ONE_MINUTE, ids(TEMPERATURE), T0, T0 + HOUR)).isEmpty();
        assertThat(readAll(Tier.ONE_HOUR, ids(TEMPERATURE), T0, T0 + HOUR)).isEmpty();
    }

    @Test
    void commit_sameBucketTwice_mergesWithStoredFirst() {
        // Counter: stored lastValue 10, the new rollup starts at 15, so the seam adds 5.
        Aggregate first = aggregate(MetricKind.COUNTER, T0, 0, 4, 10);
        Aggregate later = aggregate(MetricKind.COUNTER, T0 + 3_000, 15, 21);
        Aggregate gaugeFirst = aggregate(MetricKind.GAUGE, T0, 1, 2, 3, 4, 5);
        Aggregate gaugeLater = aggregate(MetricKind.GAUGE, T0 + 5_000, 6, 7, 8, 9, 10);
        store.commit(List.of(REQUESTS, TEMPERATURE),
                List.of(rollup(REQUESTS, T0, first), rollup(TEMPERATURE, T0, gaugeFirst)), 1);
        store.commit(List.of(), List.of(rollup(REQUESTS, T0, later), rollup(TEMPERATURE, T0, gaugeLater)), 2);

        Aggregate counter = readOne(Tier.TEN_SECONDS, REQUESTS, T0);
        assertThat(counter.samples()).isEqualTo(5);
        assertThat(counter.sum()).isEqualTo(50.0);
        assertThat(counter.min()).isEqualTo(0.0);
        assertThat(counter.max()).isEqualTo(21.0);
        assertThat(counter.increase()).isEqualTo(10 + 5 + 6);
        assertThat(counter.firstTimestamp()).isEqualTo(T0);
        assertThat(counter.firstValue()).isEqualTo(0.0);
        assertThat(counter.lastTimestamp()).isEqualTo(T0 + 4_000);
        assertThat(counter.lastValue()).isEqualTo(21.0);

        Aggregate gauge = readOne(Tier.TEN_SECONDS, TEMPERATURE, T0);
        assertThat(gauge.samples()).isEqualTo(10);
        assertThat(gauge.observations()).isEqualTo(10);
        assertThat(gauge.sum()).isEqualTo(55.0);
        assertThat(gauge.min()).isEqualTo(1.0);
        assertThat(gauge.max()).isEqualTo(10.0);
        assertThat(gauge.quantile(0.5)).isCloseTo(exactQuantile(0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), withinPercentage(1));
        assertThat(gauge.quantile(0.9)).isCloseTo(exactQuantile(0.9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), withinPercentage(1));
        assertThat(gauge.quantile(1.0)).isCloseTo(10.0, withinPercentage(1));
    }

    @Test
    void commit_sameBucketInOneBatch_mergesInOrder() {
        Aggregate a = aggregate(MetricKind.COUNTER, T0, 0, 4, 10);
        Aggregate b = aggregate(MetricKind.COUNTER, T0 + 3_000, 15, 21);
        Aggregate c = aggregate(MetricKind.COUNTER, T0 + 5_000, 2); // a reset: the seam adds 2
        store.commit(List.of(REQUESTS), List.of(rollup(REQUESTS, T0, a), rollup(REQUESTS, T0, b),
                rollup(REQUESTS, T0, c)), 1);

        List<Row> rows = readAll(Tier.TEN_SECONDS, ids(REQUESTS), T0, T0 + HOUR);

        assertThat(rows).hasSize(1);
        Aggregate merged = rows.get(0).aggregate();
        assertThat(merged.samples()).isEqualTo(6);
        assertThat(merged.increase()).isEqualTo(10 + 5 + 6 + 2);
        assertThat(merged.lastValue()).isEqualTo(2.0);
        assertThat(merged.lastTimestamp()).isEqualTo(T0 + 5_000);
    }

    @Test
    void commit_doesNotModifyCallersAggregates() {
        Aggregate stored = aggregate(MetricKind.GAUGE, T0, 1, 2);
        Aggregate later = aggregate(MetricKind.GAUGE, T0 + 2_000, 3);
        store.commit(List.of(TEMPERATURE), List.of(rollup(TEMPERATURE, T0, stored)), 1);
        store.commit(List.of(), List.of(rollup(TEMPERATURE, T0, later)), 2);

        assertThat(stored.samples()).isEqualTo(2);
        assertThat(later.samples()).isEqualTo(1);
    }

    @Test
    void commit_data_survivesReopen() {
        double[] latencies = {12, 15, 18, 22, 35, 48, 95, 120, 250, 900};
        Aggregate counter = aggregate(MetricKind.COUNTER, T0, 100, 103, 110);
        Aggregate latency = aggregate(MetricKind.DISTRIBUTION, T0, latencies);
        Aggregate gauge = aggregate(MetricKind.GAUGE, T0, 21.25, -3.5, 1e9);
        Aggregate delta = aggregate(MetricKind.DELTA, T0, 2, 3, 1);
        Aggregate buffet = histogram(T0, new double[] {0.5, 1, 5, 30}, new long[] {3, 10, 40, 6, 1}, 220.0, 0.2, 61.0);
        buffet.add(T0 + 5_000, Distribution.explicit(4, 6.0, 0.7, 2.5, new double[] {0.5, 1, 5, 30},
                new long[] {0, 2, 2, 0, 0}));
        store.commit(List.of(REQUESTS, LATENCY, TEMPERATURE, CHECKINS, BUFFET_WAIT), List.of(
                rollup(REQUESTS, T0, counter), rollup(LATENCY, T0, latency), rollup(TEMPERATURE, T0, gauge),
                rollup(CHECKINS, T0, delta), rollup(BUFFET_WAIT, T0, buffet)), 7);

        reopen();

        assertThat(store.loadSeries()).containsExactlyInAnyOrder(REQUESTS, LATENCY, TEMPERATURE, CHECKINS, BUFFET_WAIT);
        assertSameAggregate(readOne(Tier.TEN_SECONDS, REQUESTS, T0), counter);
        assertSameAggregate(readOne(Tier.TEN_SECONDS, LATENCY, T0), latency);
        assertSameAggregate(readOne(Tier.TEN_SECONDS, TEMPERATURE, T0), gauge);
        assertSameAggregate(readOne(Tier.TEN_SECONDS, CHECKINS, T0), delta);
        Aggregate histogram = readOne(Tier.TEN_SECONDS, BUFFET_WAIT, T0);
        assertSameAggregate(histogram, buffet);
        assertThat(histogram.bucketBounded()).isTrue();
        assertThat(histogram.observations()).isEqualTo(64);
        assertThat(histogram.quantile(0.5)).isBetween(1.0, 5.0);
        Aggregate latencyRead = readOne(Tier.TEN_SECONDS, LATENCY, T0);
        assertThat(latencyRead.quantile(0.5)).isCloseTo(exactQuantile(0.5, latencies), withinPercentage(1));
        assertThat(latencyRead.quantile(0.99)).isCloseTo(exactQuantile(0.99, latencies), withinPercentage(1));
        assertThat(store.checkpoint()).isEqualTo(7);
    }

    // --- checkpoint -------------------------------------------------------------------------------------------------

    @Test
    void checkpoint_newStore_isZero() {
        assertThat(store.checkpoint()).isZero();
    }

    @Test
    void commit_checkpoint_survivesReopen() {
        store.commit(List.of(), List.of(), 1_234);
        store.commit(List.of(), List.of(), 5_678);

        reopen();

        assertThat(store.checkpoint()).isEqualTo(5_678);
    }

    @Test
    void read_corruptRow_throwsStorageExceptionNamingTheRow() throws Exception {
        store.commit(List.of(TEMPERATURE), List.of(rollup(TEMPERATURE, T0, aggregate(MetricKind.GAUGE, T0, 1))), 1);
        overwriteStoredRollups(Tier.TEN_SECONDS, new byte[] {1, 2});

        assertThatThrownBy(() -> readAll(Tier.TEN_SECONDS, ids(TEMPERATURE), T0, T0 + HOUR))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("series " + TEMPERATURE.id())
                .hasMessageContaining("rollup_10s");
    }

    @Test
    void read_returnsTheCheckpointOfTheSnapshotItRead() {
        long[] none = new long[0];
        assertThat(store.read(Tier.TEN_SECONDS, none, T0, T0 + 1, (id, bucket, a) -> { })).isZero();
        store.commit(List.of(), List.of(), 7);
        assertThat(store.read(Tier.TEN_SECONDS, new long[] {1, 2}, T0, T0 + HOUR, (id, bucket, a) -> { }))
                .isEqualTo(7);
        store.commit(List.of(), List.of(), 9);
        assertThat(store.read(Tier.ONE_MINUTE, new long[] {1}, T0, T0 + HOUR, (id, bucket, a) -> { })).isEqualTo(9);
    }

    @Test
    void commit_emptyBatch_recordsCheckpoint() {
        store.commit(List.of(), List.of(), 42);

        assertThat(store.checkpoint()).isEqualTo(42);
    }

    @Test
    void commit_sameCheckpointAgain_isAccepted() {
        store.commit(List.of(), List.of(), 42);
        store.commit(List.of(REQUESTS), List.of(rollup(REQUESTS, T0, aggregate(MetricKind.COUNTER, T0, 1))), 42);

        assertThat(store.checkpoint()).isEqualTo(42);
        assertThat(readAll(Tier.TEN_SECONDS, ids(REQUESTS), T0, T0 + HOUR)).hasSize(1);
    }

    @Test
    void commit_lowerCheckpoint_throwsAndStoresNothing() {
        store.commit(List.of(), List.of(), 10);

        assertThatThrownBy(() -> store.commit(List.of(REQUESTS),
                List.of(rollup(REQUESTS, T0, aggregate(MetricKind.COUNTER, T0, 1))), 9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9")
                .hasMessageContaining("10");

        assertThat(store.checkpoint()).isEqualTo(10);
        assertThat(store.loadSeries()).isEmpty();
        assertThat(readAll(Tier.TEN_SECONDS, ids(REQUESTS), T0, T0 + HOUR)).isEmpty();
    }

    @Test
    void commit_unalignedBucket_throwsAndStoresNothing() {
        assertThatThrownBy(() -> store.commit(List.of(REQUESTS), List.of(
                rollup(REQUESTS, T0, aggregate(MetricKind.COUNTER, T0, 1)),
                rollup(REQUESTS, T0 + 5_000, aggregate(MetricKind.COUNTER, T0 + 5_000, 2))), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(T0 + 5_000));

        assertThat(store.checkpoint()).isZero();
        assertThat(store.loadSeries()).isEmpty();
    }

    // --- downsample -------------------------------------------------------------------------------------------------

    @Test
    void downsample_mergesTenSecondBucketsIntoMinute() {
        List<Rollup> rollups = new ArrayList<>();
        double[] all = new double[60];
        for (int b = 0; b < 6; b++) {
            double[] values = new double[10];
            for (int j = 0; j < 10; j++) {
                values[j] = b * 10 + j + 1; // 1..60 ms over the minute
                all[b * 10 + j] = values[j];
            }
            rollups.add(rollup(LATENCY, T0 + b * TEN_SECONDS, aggregate(MetricKind.DISTRIBUTION, T0 + b * TEN_SECONDS, values)));
        }
        store.commit(List.of(LATENCY), rollups, 1);

        long written = store.downsample(Tier.TEN_SECONDS, T0 + MINUTE);

        assertThat(written).isEqualTo(1);
        List<Row> minute = readAll(Tier.ONE_MINUTE, ids(LATENCY), T0 - HOUR, T0 + HOUR);
        assertThat(minute).extracting(Row::bucketStart).containsExactly(T0);
        Aggregate m = minute.get(0).aggregate();
        assertThat(m.samples()).isEqualTo(60);
        assertThat(m.observations()).isEqualTo(60);
        assertThat(m.sum()).isEqualTo(1830.0);
        assertThat(m.min()).isEqualTo(1.0);
        assertThat(m.max()).isEqualTo(60.0);
        assertThat(m.firstTimestamp()).isEqualTo(T0);
        assertThat(m.lastTimestamp()).isEqualTo(T0 + 5 * TEN_SECONDS + 9_000);
        assertThat(m.quantile(0.5)).isCloseTo(exactQuantile(0.5, all), withinPercentage(1));
        assertThat(m.quantile(0.95)).isCloseTo(exactQuantile(0.95, all), withinPercentage(1));
        assertThat(m.quantile(0.99)).isCloseTo(exactQuantile(0.99, all), withinPercentage(1));
        assertThat(readAll(Tier.TEN_SECONDS, ids(LATENCY), T0, T0 + HOUR)).as("the source tier is kept").hasSize(6);
    }

    @Test
    void downsample_counter_addsIncreaseAcrossBuckets() {
        store.commit(List.of(REQUESTS), List.of(
                rollup(REQUESTS, T0, aggregate(MetricKind.COUNTER, T0, 0, 5)),                              // +5
                rollup(REQUESTS, T0 + TEN_SECONDS, aggregate(MetricKind.COUNTER, T0 + TEN_SECONDS, 12, 20)),   // seam +7, +8
                rollup(REQUESTS, T0 + 2 * TEN_SECONDS, aggregate(MetricKind.COUNTER, T0 + 2 * TEN_SECONDS, 3, 7))), // reset +3, +4
                1);

        store.downsample(Tier.TEN_SECONDS, T0 + MINUTE);

        Aggregate m = readOne(Tier.ONE_MINUTE, REQUESTS, T0);
        assertThat(m.increase()).isEqualTo(5 + 7 + 8 + 3 + 4);
        assertThat(m.firstValue()).isEqualTo(0.0);
        assertThat(m.lastValue()).isEqualTo(7.0);
        assertThat(m.samples()).isEqualTo(6);
    }

    @Test
    void downsample_isIdempotent() {
        store.commit(List.of(TEMPERATURE, REQUESTS), List.of(
                rollup(TEMPERATURE, T0, aggregate(MetricKind.GAUGE, T0, 20, 21)),
                rollup(TEMPERATURE, T0 + TEN_SECONDS, aggregate(MetricKind.GAUGE, T0 + TEN_SECONDS, 22)),
                rollup(REQUESTS, T0, aggregate(MetricKind.COUNTER, T0, 1, 2))), 1);
        assertThat(store.downsample(Tier.TEN_SECONDS, T0 + MINUTE)).isEqualTo(2);

        assertThat(store.downsample(Tier.TEN_SECONDS, T0 + MINUTE)).isZero();
        assertThat(store.downsample(Tier.TEN_SECONDS, T0 + MINUTE + 30_000)).as("same minute bound").isZero();

        assertThat(readOne(Tier.ONE_MINUTE, TEMPERATURE, T0).samples()).isEqualTo(3);
        assertThat(readOne(Tier.ONE_MINUTE, TEMPERATURE, T0).sum()).isEqualTo(63.0);
        assertThat(readOne(Tier.ONE_MINUTE, REQUESTS, T0).samples()).isEqualTo(2);
    }

    @Test
    void downsample_onlyClosedBucketsBeforeBound() {
        List<Rollup> rollups = new ArrayList<>();
        for (int b = 0; b < 12; b++) { // two minutes of 10 s buckets, two samples each
            long start = T0 + b * TEN_SECONDS;
            rollups.add(rollup(TEMPERATURE, start, aggregate(MetricKind.GAUGE, start, 20 + b, 20.5 + b)));
        }
        store.commit(List.of(TEMPERATURE), rollups, 1);

        assertThat(store.downsample(Tier.TEN_SECONDS, T0 + 90_000)).as("bound aligned down to T0 + 1 min").isEqualTo(1);
        List<Row> first = readAll(Tier.ONE_MINUTE, ids(TEMPERATURE), T0 - HOUR, T0 + HOUR);
        assertThat(first).extracting(Row::bucketStart).containsExactly(T0);
        assertThat(first.get(0).aggregate().samples()).isEqualTo(12);
        assertThat(first.get(0).aggregate().max()).isEqualTo(25.5);

        assertThat(store.downsample(Tier.TEN_SECONDS, T0 + 2 * MINUTE)).isEqualTo(1);
        List<Row> both = readAll(Tier.ONE_MINUTE, ids(TEMPERATURE), T0 - HOUR, T0 + HOUR);
        assertThat(both).extracting(Row::bucketStart).containsExactly(T0, T0 + MINUTE);
        assertThat(both).extracting(r -> r.aggregate().samples()).containsExactly(12L, 12L);
        assertThat(both.get(1).aggregate().min()).isEqualTo(26.0);
    }

    @Test
    void downsample_minuteIntoHour() {
        List<Rollup> rollups = new ArrayList<>();
        for (int minute = 0; minute < 3; minute++) {
            for (int b = 0; b < 6; b++) {
                long start = T0 + minute * MINUTE + b * TEN_SECONDS;
                rollups.add(rollup(CHECKINS, start, aggregate(MetricKind.DELTA, start, 1, 2)));
            }
        }
        store.commit(List.of(CHECKINS), rollups, 1);
        assertThat(store.downsample(Tier.TEN_SECONDS, T0 + HOUR)).isEqualTo(3);

        assertThat(store.downsample(Tier.ONE_MINUTE, T0 + HOUR - 1)).as("the hour is not closed yet").isZero();
        assertThat(store.downsample(Tier.ONE_MINUTE, T0 + HOUR)).isEqualTo(1);

        List<Row> hour = readAll(Tier.ONE_HOUR, ids(CHECKINS), T0 - HOUR, T0 + 2 * HOUR);
        assertThat(hour).extracting(Row::bucketStart).containsExactly(T0);
        assertThat(hour.get(0).aggregate().samples()).isEqualTo(36);
        assertThat(hour.get(0).aggregate().increase()).isEqualTo(54.0);
        assertThat(hour.get(0).aggregate().sum()).isEqualTo(54.0);
    }

    @Test
    void downsample_coarsestTier_throws() {
        assertThatThrownBy(() -> store.downsample(Tier.ONE_HOUR, T0 + HOUR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ONE_HOUR");
    }

    @Test
    void downsample_emptyStore_writesNothing() {
        assertThat(store.downsample(Tier.TEN_SECONDS, T0 + HOUR)).isZero();
        assertThat(store.downsample(Tier.ONE_MINUTE, T0 + HOUR)).isZero();
    }

    // --- retention --------------------------------------------------------------------------------------------------

    @Test
    void deleteBefore_removesOnlyOlderBuckets_ofThatTier() {
        List<Rollup> rollups = new ArrayList<>();
        for (int b = 0; b < 6; b++) {
            long start = T0 + b * TEN_SECONDS;
            rollups.add(rollup(TEMPERATURE, start, aggregate(MetricKind.GAUGE, start, b)));
        }
        store.commit(List.of(TEMPERATURE), rollups, 1);
        store.downsample(Tier.TEN_SECONDS, T0 + MINUTE);

        assertThat(store.deleteBefore(Tier.TEN_SECONDS, T0 + 3 * TEN_SECONDS)).isEqualTo(3);

        assertThat(readAll(Tier.TEN_SECONDS, ids(TEMPERATURE), T0 - HOUR, T0 + HOUR)).extracting(Row::bucketStart)
                .containsExactly(T0 + 3 * TEN_SECONDS, T0 + 4 * TEN_SECONDS, T0 + 5 * TEN_SECONDS);
        assertThat(readAll(Tier.ONE_MINUTE, ids(TEMPERATURE), T0 - HOUR, T0 + HOUR)).hasSize(1);
        assertThat(store.deleteBefore(Tier.ONE_HOUR, T0 + HOUR)).isZero();
        assertThat(store.deleteBefore(Tier.TEN_SECONDS, T0 + 3 * TEN_SECONDS)).as("nothing left to delete").isZero();
    }

    // --- volume and concurrency -------------------------------------------------------------------------------------

    @Test
    void commit_largeBatch_exactCounts() {
        int seriesCount = 20_000;
        int buckets = 3;
        List<SeriesRecord> series = new ArrayList<>(seriesCount);
        List<Rollup> rollups = new ArrayList<>(seriesCount * buckets);
        long expectedSamples = 0;
        double expectedSum = 0;
        for (int i = 0; i < seriesCount; i++) {
            SeriesRecord s = new SeriesRecord(new SeriesKey("guest_checkins", Labels.of("table", Integer.toString(i))),
                    MetricKind.DELTA);
            series.add(s);
            for (int b = 0; b < buckets; b++) {
                long start = T0 + b * TEN_SECONDS;
                int n = (i + b) % 5 + 1;
                double[] values = new double[n];
                Arrays.fill(values, 1 + (i % 3));
                rollups.add(rollup(s, start, aggregate(MetricKind.DELTA, start, values)));
                expectedSamples += n;
                expectedSum += n * (1 + (i % 3));
            }
        }
        store.commit(series, rollups, 1);

        long[] ids = series.stream().mapToLong(SeriesRecord::id).toArray();
        long[] samples = {0};
        double[] sum = {0};
        long[] rows = {0};
        Map<Long, Long> lastBucket = new HashMap<>();
        AtomicBoolean ordered = new AtomicBoolean(true);
        store.read(Tier.TEN_SECONDS, ids, T0, T0 + MINUTE, (id, bucket, a) -> {
            rows[0]++;
            samples[0] += a.samples();
            sum[0] += a.sum();
            Long previous = lastBucket.put(id, bucket);
            if (previous != null && previous >= bucket) {
                ordered.set(false);
            }
        });

        assertThat(rows[0]).isEqualTo((long) seriesCount * buckets);
        assertThat(samples[0]).isEqualTo(expectedSamples);
        assertThat(sum[0]).isEqualTo(expectedSum);
        assertThat(lastBucket).hasSize(seriesCount);
        assertThat(ordered).as("ascending buckets per series").isTrue();
        assertThat(store.loadSeries()).hasSize(seriesCount);
    }

    @Test
    void read_duringCommits_seesWholeCommitsOnly() throws Exception {
        int perCommit = 1_000;
        int commits = 20;
        List<SeriesRecord> series = new ArrayList<>(perCommit);
        for (int i = 0; i < perCommit; i++) {
            series.add(new SeriesRecord(new SeriesKey("table_occupancy", Labels.of("table", Integer.toString(i))),
                    MetricKind.GAUGE));
        }
        long[] ids = series.stream().mapToLong(SeriesRecord::id).toArray();
        store.commit(series, List.of(), 0);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Long> partial = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                while (!done.get()) {
                    long[] rows = {0};
                    store.read(Tier.TEN_SECONDS, ids, T0, T0 + HOUR, (id, bucket, a) -> rows[0]++);
                    if (rows[0] % perCommit != 0) {
                        partial.add(rows[0]);
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "contract-reader");
        reader.start();
        try {
            for (int c = 0; c < commits; c++) {
                long start = T0 + c * TEN_SECONDS;
                List<Rollup> rollups = new ArrayList<>(perCommit);
                for (SeriesRecord s : series) {
                    rollups.add(rollup(s, start, aggregate(MetricKind.GAUGE, start, c)));
                }
                store.commit(List.of(), rollups, c + 1);
            }
        } finally {
            done.set(true);
            reader.join();
        }

        assertThat(failure.get()).isNull();
        assertThat(partial).as("row counts seen mid-commit").isEmpty();
    }

    // --- health -----------------------------------------------------------------------------------------------------

    @Test
    void check_ok_whenOpen() {
        assertThat(store.check().ok()).isTrue();
        assertThat(store.check().detail()).isNull();
    }

    @Test
    void check_notOk_afterClose() {
        store.close();

        assertThat(store.check().ok()).isFalse();
        assertThat(store.check().detail()).isNotBlank();
    }

    @Test
    void close_twice_isIdempotent() {
        store.close();
        store.close();
    }

    // --- fixtures ---------------------------------------------------------------------------------------------------

    /** A rollup read back from the store. */
    protected record Row(long seriesId, long bucketStart, Aggregate aggregate) {}

    /** Closes the store and opens it again with {@link #newStore()}, which must see the same data. */
    protected final void reopen() {
        store.close();
        store = null;
        store = newStore();
    }

    /**
     * An aggregate of scalar samples of a series of the given kind, one sample per second from
     * {@code firstTimestamp}: for COUNTER the values are cumulative, for DELTA increments, otherwise observations.
     */
    protected static Aggregate aggregate(MetricKind kind, long firstTimestamp, double... values) {
        Aggregate a = new Aggregate();
        for (int i = 0; i < values.length; i++) {
            a.add(firstTimestamp + i * 1_000L, values[i], kind);
        }
        return a;
    }

    /** An aggregate holding one explicit-bucket histogram point; {@code counts} has {@code bounds.length + 1} entries. */
    protected static Aggregate histogram(long timestamp, double[] bounds, long[] counts, double sum, double min,
                                         double max) {
        long count = Arrays.stream(counts).sum();
        Aggregate a = new Aggregate();
        a.add(timestamp, Distribution.explicit(count, sum, min, max, bounds, counts));
        return a;
    }

    /** A rollup of a series (its id and kind) at a bucket start. */
    protected static Rollup rollup(SeriesRecord series, long bucketStart, Aggregate aggregate) {
        return new Rollup(series.id(), series.kind(), bucketStart, aggregate);
    }

    /** The ids of series, in the given order, for {@link MetricStore#read}. */
    protected static long[] ids(SeriesRecord... series) {
        return Arrays.stream(series).mapToLong(SeriesRecord::id).toArray();
    }

    /** Everything {@link MetricStore#read} visits, in visiting order. */
    protected List<Row> readAll(Tier tier, long[] seriesIds, long fromMillis, long toMillis) {
        List<Row> rows = new ArrayList<>();
        store.read(tier, seriesIds, fromMillis, toMillis, (id, bucket, a) -> rows.add(new Row(id, bucket, a)));
        return rows;
    }

    /** The one rollup of a series at a bucket start; fails unless exactly one is stored there. */
    protected Aggregate readOne(Tier tier, SeriesRecord series, long bucketStart) {
        List<Row> rows = readAll(tier, ids(series), bucketStart, bucketStart + 1);
        assertThat(rows).as("rollups of %s at %s in %s", series.key(), Instant.ofEpochMilli(bucketStart), tier)
                .hasSize(1);
        return rows.get(0).aggregate();
    }

    /** The value a DDSketch approximates (within 1 %) for quantile q: the sample at rank floor(q * (n - 1)). */
    protected static double exactQuantile(double q, double... values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    /** Asserts that two aggregates give the same answer to every question the query layer asks. */
    protected static void assertSameAggregate(Aggregate actual, Aggregate expected) {
        assertThat(actual.samples()).as("samples").isEqualTo(expected.samples());
        assertThat(actual.observations()).as("observations").isEqualTo(expected.observations());
        assertSameDouble("sum", actual.sum(), expected.sum());
        assertSameDouble("min", actual.min(), expected.min());
        assertSameDouble("max", actual.max(), expected.max());
        assertSameDouble("increase", actual.increase(), expected.increase());
        assertThat(actual.firstTimestamp()).as("first timestamp").isEqualTo(expected.firstTimestamp());
        assertSameDouble("first value", actual.firstValue(), expected.firstValue());
        assertThat(actual.lastTimestamp()).as("last timestamp").isEqualTo(expected.lastTimestamp());
        assertSameDouble("last value", actual.lastValue(), expected.lastValue());
        assertThat(actual.bucketBounded()).as("bucket bounded").isEqualTo(expected.bucketBounded());
        for (int p = 0; p <= 100; p++) {
            assertSameDouble("p" + p, actual.quantile(p / 100.0), expected.quantile(p / 100.0));
        }
    }

    /** Bit-for-bit equality as {@link Double#equals} defines it: NaN equals NaN, 0.0 differs from -0.0. */
    private static void assertSameDouble(String what, double actual, double expected) {
        assertThat(Double.valueOf(actual)).as(what).isEqualTo(Double.valueOf(expected));
    }
}
