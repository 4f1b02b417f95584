package io.vigil.calendar.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON form of {@link FullDay}, serialised by a plain Jackson {@link ObjectMapper} (no java.time module). */
class CriticalPathJsonTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    final CriticalPathReport report = FullDay.report();

    Map<String, Object> roundTrip() throws Exception {
        String text = MAPPER.writeValueAsString(CriticalPathJson.write(report));
        return MAPPER.readValue(text, new TypeReference<Map<String, Object>>() {});
    }

    @Test
    void topLevelShape_isoTimesInstantAndLocal() throws Exception {
        Map<String, Object> json = roundTrip();

        assertThat(json.keySet()).containsExactly("weddingId", "date", "timeZone", "venue", "status", "guestCount",
                "ceremonyStart", "receptionEnd", "now", "hasData", "eventsCounted", "eventsIgnored",
                "bottlenecks", "milestones", "guestArrivals", "vendors", "emergencies");
        assertThat(json.get("weddingId")).isEqualTo(FullDay.ID);
        assertThat(json.get("date")).isEqualTo("2026-06-13");
        assertThat(json.get("timeZone")).isEqualTo("Europe/London");
        assertThat(json.get("status")).isEqualTo("scheduled");
        assertThat(json.get("ceremonyStart"))
                .isEqualTo(Map.of("instant", "2026-06-13T14:00:00Z", "local", "2026-06-13T15:00:00+01:00"));
        assertThat(json.get("now"))
                .isEqualTo(Map.of("instant", "2026-06-13T20:10:00Z", "local", "2026-06-13T21:10:00+01:00"));
        assertThat(json.get("hasData")).isEqualTo(true);
        assertThat(json.get("bottlenecks")).isEqualTo(report.bottlenecks());
    }

    @Test
    void milestones_itemsCountsAndAdherence() throws Exception {
        Map<String, Object> m = section(roundTrip(), "milestones");

        assertThat(list(m, "items").get(1)).isEqualTo(Map.of("name", "ceremony", "state", "late",
                "planned", Map.of("instant", "2026-06-13T14:00:00Z", "local", "2026-06-13T15:00:00+01:00"),
                "actual", Map.of("instant", "2026-06-13T14:25:00Z", "local", "2026-06-13T15:25:00+01:00"),
                "delaySeconds", 1500));
        assertThat(list(m, "items").get(7).get("actual")).isNull();
        assertThat(list(m, "items").get(7).get("state")).isEqualTo("pending");
        assertThat(m.get("counts")).isEqualTo(Map.of("on_time", 3, "late", 1, "early", 1, "missed", 1,
                "pending", 2, "unplanned", 0));
        assertThat(m.get("measured")).isEqualTo(5);
        assertThat(m.get("onTime")).isEqualTo(3);
        assertThat(m.get("onTimeShare")).isEqualTo(0.6);
        assertThat(m.get("meanDelaySeconds")).isEqualTo(228);
        assertThat(m.get("maxDelaySeconds")).isEqualTo(1500);
    }

    @Test
    void guestArrivals_bucketsMarksPeak() throws Exception {
        Map<String, Object> g = section(roundTrip(), "guestArrivals");

        assertThat(g.get("expected")).isEqualTo(150);
        assertThat(g.get("arrived")).isEqualTo(150);
        assertThat(g.get("arrivedByCeremonyStart")).isEqualTo(105);
        assertThat(g.get("bucketMinutes")).isEqualTo(15);
        assertThat(list(g, "buckets")).hasSize(6);
        assertThat(list(g, "buckets").get(4)).isEqualTo(Map.of(
                "start", Map.of("instant", "2026-06-13T13:45:00Z", "local", "2026-06-13T14:45:00+01:00"),
                "count", 30, "cumulative", 105, "share", 0.7));
        assertThat(g.get("fiftyPercent")).isEqualTo(Map.of("percent", 50,
                "at", Map.of("instant", "2026-06-13T13:44:10Z", "local", "2026-06-13T14:44:10+01:00"),
                "secondsFromCeremonyStart", -950,
                "text", "50 % arrived by 14:44, 15 min 50 s before the ceremony start"));
        assertThat(section(g, "peak").get("count")).isEqualTo(45);
    }

    @Test
    void vendorsAndEmergencies_secondsAndWaiting() throws Exception {
        Map<String, Object> json = roundTrip();
        Map<String, Object> v = section(json, "vendors");
        Map<String, Object> e = section(json, "emergencies");

        assertThat(list(v, "byVendor").get(3)).isEqualTo(Map.of("vendorId", "photo-4", "requests", 2,
                "acknowledged", 1, "medianAckSeconds", 60, "maxAckSeconds", 60, "waiting", List.of(Map.of(
                        "ref", "p2",
                        "requested", Map.of("instant", "2026-06-13T19:40:00Z", "local", "2026-06-13T20:40:00+01:00"),
                        "waitingSeconds", 1800))));
        assertThat(list(v, "requests")).hasSize(9);
        assertThat(list(v, "requests").get(0).get("ackSeconds")).isEqualTo(360);
        assertThat(v.get("acknowledged")).isEqualTo(8);
        assertThat(v.get("unacknowledged")).isEqualTo(1);
        assertThat(v.get("medianAckSeconds")).isEqualTo(300);
        assertThat(v.get("maxAckSeconds")).isEqualTo(2520);
        assertThat(list(e, "items").get(1).get("firstResponse")).isNull();
        assertThat(list(e, "items").get(1).get("waitingSeconds")).isEqualTo(720);
        assertThat(list(e, "items").get(0).get("responseSeconds")).isEqualTo(360);
        assertThat(e.get("answered")).isEqualTo(1);
        assertThat(e.get("unanswered")).isEqualTo(1);
        assertThat(e.get("medianResponseSeconds")).isEqualTo(360);
    }

    @Test
    void coordinatorPlantedInTheWedding_neverInTheJsonOrTheReport() throws Exception {
        String text = MAPPER.writeValueAsString(CriticalPathJson.write(report));

        assertThat(FullDay.WEDDING.coordinator()).isNotNull();
        assertThat(text).doesNotContain("Penelope", "Quill", "penelope.quill@example.org", "7946", "coordinator");
        assertThat(report.toString()).doesNotContain("Penelope", "penelope.quill@example.org", "7946");
    }

    @Test
    void emptyReport_serialisesWithNulls() throws Exception {
        CriticalPathReport empty = CriticalPathReport.of(FullDay.WEDDING, List.of(), FullDay.at("12:00"));
        Map<String, Object> json = MAPPER.readValue(MAPPER.writeValueAsString(CriticalPathJson.write(empty)),
                new TypeReference<Map<String, Object>>() {});

        assertThat(json.get("hasData")).isEqualTo(false);
        assertThat(json.get("bottlenecks")).isEqualTo(List.of(Bottlenecks.NO_DATA));
        assertThat(section(json, "guestArrivals").get("peak")).isNull();
        assertThat(section(json, "guestArrivals").get("arrivedByCeremonyStart")).isNull();
        assertThat(section(json, "milestones").get("onTimeShare")).isNull();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> section(Map<String, Object> json, String key) {
        return (Map<String, Object>) json.get(key);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> json, String key) {
        return (List<Map<String, Object>>) json.get(key);
    }
}
