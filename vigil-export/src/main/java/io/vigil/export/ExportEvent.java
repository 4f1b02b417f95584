package io.vigil.export;

import java.time.Instant;
import java.util.List;

/**
 * Something worth marking on the team's other tools: a wedding day, a P0/P1 incident, a load test. Datadog receives
 * it as an event, Grafana as an annotation (a region when it has an end). Built only from fields without personal
 * data: counts, time zones, rule names and ratings, never names, contacts or free text from the platform.
 *
 * @param kind what it is
 * @param title one line
 * @param text a few lines (at most 4,000 characters)
 * @param start when it starts
 * @param end when it ends, or null for an instant
 * @param severity {@code error}, {@code warning} or {@code info}
 * @param key groups the events of one thing (Datadog's {@code aggregation_key}, at most 100 characters)
 * @param tags bounded {@code name:value} tags (no ids of weddings)
 * @param context the wedding context tags when it happened
 */
public record ExportEvent(Kind kind, String title, String text, Instant start, Instant end, String severity,
                          String key, List<String> tags, ExportTags context) {

    public ExportEvent {
        tags = List.copyOf(tags);
        if (text.length() > 4_000) {
            text = text.substring(0, 3_999) + "…";
        }
        if (key.length() > 100) {
            key = key.substring(0, 100);
        }
    }

    /** The kinds of event Vigil exports. */
    public enum Kind {
        WEDDING_DAY, INCIDENT, LOAD_TEST;

        /** The name used in tags ({@code vigil_event:wedding_day}). */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
