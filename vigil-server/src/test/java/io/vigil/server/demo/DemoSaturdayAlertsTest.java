package io.vigil.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Priority;
import io.vigil.alerting.lifecycle.LifecycleConfig;
import io.vigil.alerting.rules.DefaultRules;
import io.vigil.alerting.rules.RuleEvaluator;
import io.vigil.alerting.service.AlertingService;
import io.vigil.calendar.CalendarSettings;
import io.vigil.calendar.WeddingCalendar;
import io.vigil.calendar.csv.WeddingCsvReader;
import io.vigil.core.time.SettableClock;
import io.vigil.engine.EngineConfig;
import io.vigil.engine.StorageEngine;
import io.vigil.engine.query.QueryEngine;
import io.vigil.ingest.LabelRules;
import io.vigil.ingest.json.JsonBatchDecoder;
import io.vigil.store.Lease;
import io.vigil.store.embedded.EmbeddedMetricStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance scenario of the alerting issue: the demo's Saturday evening (its platform traffic, its calendar and
 * per-wedding metrics) through the real JSON decoder, engine, embedded store, calendar and alerting service with the
 * default rules, on a simulated clock. A human looking at that traffic expects exactly one alert per slow spell of
 * the photo service (photo upload p95 about 8 s for three minutes, during active weddings: a P0), resolved a few
 * minutes after it, and nothing from the healthy routes, the per-wedding operations (mobile photo uploads average
 * about 2 s, within the platform's 5 s) or the spell's 5 % errors (too short for the error-rate rules' windows).
 */
class DemoSaturdayAlertsTest {
    static final Instant START = Instant.parse("2026-06-13T17:00:00Z");
    static final Instant END = Instant.parse("2026-06-13T18:40:00Z");
    static final Duration STEP = Duration.ofSeconds(10);
    static final String PHOTOS = "/api/weddings/{id}/photos";

    @TempDir
    Path dir;

    @Test
    void eachSlowSpellOfPhotoUploads_raisesOneExplainedP0_resolvedAfterIt_andNothingElseAlerts() throws Exception {
        SettableClock clock = new SettableClock(START);
        ObjectMapper json = new ObjectMapper();
        List<NotificationIntent> intents = new ArrayList<>();
        List<Instant> intentTimes = new ArrayList<>();
        List<String> history;
        try (EmbeddedMetricStore store = EmbeddedMetricStore.open(dir.resolve("store"));
             StorageEngine engine = StorageEngine.openManual(store, dir.resolve("wal"), EngineConfig.DEFAULTS, clock)) {
            DemoCalendar demo = new DemoCalendar(java.net.URI.create("http://unused"), "unused", START, 11);
            var imported = new WeddingCsvReader().read(new ByteArrayInputStream(
                    demo.csv().getBytes(StandardCharsets.UTF_8)));
            assertThat(imported.problems()).isEmpty();
            store.weddings().upsert(imported.validWeddings());
            WeddingCalendar calendar = new WeddingCalendar(store.weddings(),
                    CalendarSettings.DEFAULTS, clock);
            AlertingService alerting = new AlertingService(store.state(), new RuleEvaluator(new QueryEngine(engine)),
                    calendar, Lease.local("alerting"), clock, DefaultRules.load(), LifecycleConfig.DEFAULTS);
            JsonBatchDecoder decoder = new JsonBatchDecoder(LabelRules.DEFAULTS, clock);
            WeddingTraffic traffic = new WeddingTraffic(java.net.URI.create("http://unused"), "unused", 7);
            SplittableRandom random = new SplittableRandom(3);

            for (Instant t = START; t.isBefore(END); t = t.plus(STEP)) {
                clock.set(t.plus(STEP));
                engine.write(decoder.decode(json.writeValueAsBytes(traffic.batch(t.toEpochMilli(), 10))));
                Map<String, Object> perWedding = demo.metrics(t, 10, random);
                if (perWedding != null) {
                    engine.write(decoder.decode(json.writeValueAsBytes(perWedding)));
                }
                if (t.getEpochSecond() % 60 == 0) {
                    engine.flush();
                }
                for (NotificationIntent i : alerting.tick()) {
                    intents.add(i);
                    intentTimes.add(clock.instant());
                }
            }
            history = store.state().history(AlertingService.HISTORY, START, END.plusSeconds(60), 100_000).stream()
                    .map(h -> h.json()).toList();
        }
        // What reached FIRING besides the notified alert: the high p95 rule of its family, inhibited by it (as is the
        // medium one while pending).
        List<String> firedRules = history.stream().filter(h -> h.contains("\"to\":\"FIRING\""))
                .map(h -> h.replaceAll(".*\"ruleId\":\"([^\"]+)\".*", "$1")).distinct().sorted().toList();
        assertThat(firedRules).containsExactly("http.p95.critical", "http.p95.high");
        assertThat(history).filteredOn(h -> h.contains("\"event\":\"INHIBITED\""))
                .extracting(h -> h.replaceAll(".*\"ruleId\":\"([^\"]+)\".*", "$1"))
                .containsOnly("http.p95.high", "http.p95.medium").hasSize(6);

        // Spells: 17:20-17:23, 17:50-17:53, 18:20-18:23.
        List<Instant> spells = List.of(Instant.parse("2026-06-13T17:20:00Z"), Instant.parse("2026-06-13T17:50:00Z"),
                Instant.parse("2026-06-13T18:20:00Z"));
        assertThat(intents).as("every intent is about the photo route's p95").allSatisfy(i -> {
            assertThat(i.alerts()).extracting(a -> a.ruleId()).containsOnly("http.p95.critical");
            assertThat(i.alerts()).extracting(a -> a.labels().get("route")).containsOnly(PHOTOS);
        });
        List<Instant> fired = new ArrayList<>();
        List<Instant> resolved = new ArrayList<>();
        for (int i = 0; i < intents.size(); i++) {
            NotificationIntent n = intents.get(i);
            if (n.kind() == Kind.FIRING) {
                fired.add(intentTimes.get(i));
                assertThat(n.priority()).isEqualTo(Priority.P0);
                assertThat(n.alerts().getFirst().explanation()).contains("photo upload").contains("active wedding");
                assertThat(n.alerts().getFirst().summary()).startsWith("p95 ").contains("> 5 s");
            } else if (n.kind() == Kind.RESOLVED) {
                resolved.add(intentTimes.get(i));
            }
        }
        assertThat(fired).hasSize(spells.size());
        assertThat(resolved).hasSize(spells.size());
        for (int s = 0; s < spells.size(); s++) {
            Instant spell = spells.get(s);
            assertThat(fired.get(s)).as("fires within 2 minutes of spell " + s)
                    .isAfter(spell).isBefore(spell.plus(Duration.ofMinutes(2)));
            assertThat(resolved.get(s)).as("resolves within 8 minutes of the end of spell " + s)
                    .isAfter(spell.plus(Duration.ofMinutes(3))).isBefore(spell.plus(Duration.ofMinutes(11)));
        }
        // Unacknowledged P0s escalate after 2 minutes: the only other intents allowed are those escalations.
        assertThat(intents).extracting(NotificationIntent::kind)
                .containsOnly(Kind.FIRING, Kind.ESCALATED, Kind.RESOLVED);
    }
}
