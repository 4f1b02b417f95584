package io.vigil.calendar;

import static io.vigil.calendar.ContextCalculatorTest.wedding;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesHandle;
import io.vigil.core.SeriesKey;
import io.vigil.core.WriteBatch;
import io.vigil.store.embedded.EmbeddedMetricStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeddingLabelPolicyTest {
    static final Instant NOW = Instant.parse("2026-06-13T15:00:00Z");

    @TempDir
    Path dir;

    @Test
    void weddingOutsideItsWindow_becomesOther_andLosesTheDecodersHandle_othersAreUntouched() {
        try (EmbeddedMetricStore store = EmbeddedMetricStore.open(dir)) {
            store.weddings().upsert(List.of(
                    wedding("today-1", "Europe/London", "2026-06-13T14:00", "2026-06-13T23:00", 100),
                    wedding("july-1", "Europe/London", "2026-07-18T14:00", "2026-07-18T23:00", 100)));
            WeddingCalendar calendar = new WeddingCalendar(store.weddings(), CalendarSettings.DEFAULTS,
                    Clock.fixed(NOW, ZoneOffset.UTC));
            WeddingLabelPolicy policy = new WeddingLabelPolicy(calendar);
            SeriesHandle today = new SeriesHandle();
            SeriesHandle july = new SeriesHandle();
            SeriesHandle plain = new SeriesHandle();
            WriteBatch batch = new WriteBatch();
            batch.beginSeries(key("today-1"), MetricKind.DISTRIBUTION, today);
            batch.addSample(NOW.toEpochMilli(), 1);
            batch.beginSeries(key("july-1"), MetricKind.DISTRIBUTION, july);
            batch.addSample(NOW.toEpochMilli(), 2);
            batch.beginSeries(new SeriesKey("http_requests_total", Labels.of("route", "/guests")), MetricKind.COUNTER,
                    plain);
            batch.addSample(NOW.toEpochMilli(), 3);

            policy.apply(batch);

            assertThat(batch.key(0).labels().get("wedding_id")).isEqualTo("today-1");
            assertThat(batch.handle(0)).isSameAs(today);
            assertThat(batch.key(1).labels().get("wedding_id")).isEqualTo("other");
            assertThat(batch.key(1).labels().get("client")).isEqualTo("mobile");
            assertThat(batch.handle(1)).as("the handle stands for the label set as sent").isNull();
            assertThat(batch.handle(2)).isSameAs(plain);
            assertThat(plain.hasLabel(batch.key(2), "wedding_id")).isFalse();
            assertThat(policy.admitted()).containsExactly("today-1");
        }
    }

    private static SeriesKey key(String wedding) {
        return new SeriesKey("wedding_photo_upload_seconds", Labels.of("wedding_id", wedding, "client", "mobile"));
    }
}
