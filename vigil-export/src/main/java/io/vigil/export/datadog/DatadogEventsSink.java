package io.vigil.export.datadog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.export.ExportEvent;
import io.vigil.export.ExportSink;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Exports events (wedding days, P0/P1 incidents, load tests) to Datadog's events API (docs/export/datadog.md,
 * INTEGRATIONS.md 2.3): one {@code POST /api/v1/events} per event with {@code title}, {@code text} (at most 4,000
 * characters), {@code date_happened} (POSIX seconds), {@code priority} ({@code normal} for incidents, {@code low}
 * otherwise), {@code alert_type} (the event's severity: {@code error}, {@code warning}, {@code info} or
 * {@code success}; anything else as {@code info}), {@code aggregation_key}, {@code source_type_name} {@code vigil} and
 * {@code tags} (the event's, the wedding context tags and the configured extra tags).
 *
 * <p><b>Old events.</b> Datadog takes events at most 18 hours old. An event that started more than 17 hours before it
 * is encoded (an hour left for retries) is not dropped but dated when it is sent, its text ending with when it
 * really started: a wedding day that began long before Vigil (re)started still gets its marker, and the text tells the
 * truth about the time.
 *
 * <p><b>Answers.</b> 202 is success; 429 (waiting for {@code Retry-After} or {@code X-RateLimit-Reset}) and 5xx are
 * retried; 400, 403 and any other status are not. Thread-safe.
 */
public final class DatadogEventsSink implements ExportSink<ExportEvent> {
    /** Datadog's limit on an event's text. */
    public static final int MAX_TEXT = 4_000;
    /** Datadog's limit on an event's age. */
    public static final Duration MAX_AGE = Duration.ofHours(18);
    /** Events older than this are dated when they are sent, leaving an hour of {@link #MAX_AGE} for retries. */
    static final Duration REDATE_AFTER = MAX_AGE.minusHours(1);
    /** Retried at the events endpoint: 429 and 5xx; 400, 403 and others are not. */
    static final IntPredicate RETRYABLE = status -> status == 429 || status >= 500;
    static final String PATH = "/api/v1/events";
    private static final Set<String> ALERT_TYPES = Set.of("error", "warning", "info", "success");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final URI uri;
    private final List<String> extraTags;
    private final DatadogHttp http;
    private final Clock clock;

    /**
     * @param base the API's base URL, such as {@code https://api.datadoghq.com}
     * @param extraTags {@code name:value} tags added to every event
     * @param timeout for connecting and for each answer
     * @param clock decides an event's age
     */
    DatadogEventsSink(URI base, DatadogApiKey key, List<String> extraTags, Duration timeout, Clock clock) {
        this.base = base;
        this.uri = DatadogMetricsSink.resolve(base, PATH);
        this.extraTags = List.copyOf(extraTags);
        this.http = new DatadogHttp(key, timeout, clock);
        this.clock = clock;
    }

    @Override
    public String name() {
        return "datadog-events";
    }

    /** The API's base URL. */
    public URI base() {
        return base;
    }

    @Override
    public String toString() {
        return "DatadogEventsSink[" + base + "]";
    }

    /** One event per request. */
    @Override
    public int maxBatch() {
        return 1;
    }

    /** One payload per event; an event without a title (Datadog requires one) is refused as {@code invalid}. */
    @Override
    public Encoded<ExportEvent> encode(List<ExportEvent> items) {
        List<Payload<ExportEvent>> out = new ArrayList<>(items.size());
        int invalid = 0;
        for (ExportEvent e : items) {
            if (e.title() == null || e.title().isBlank()) {
                invalid++;
                continue;
            }
            out.add(new Payload<>(List.of(e), json(e)));
        }
        return new Encoded<>(out, invalid, invalid > 0 ? "invalid" : null);
    }

    @Override
    public SendOutcome send(Payload<ExportEvent> payload) {
        return http.post(uri, payload.body(), false, RETRYABLE);
    }

    /** The request body of an event. */
    byte[] json(ExportEvent e) {
        Instant now = clock.instant();
        Instant happened = e.start() == null ? now : e.start();
        String text = e.text();
        if (Duration.between(happened, now).compareTo(REDATE_AFTER) > 0) {
            String note = "\n\nStarted " + happened + " (Datadog takes events up to 18 h old, so this one is dated "
                    + "when Vigil sent it).";
            if (text.length() + note.length() > MAX_TEXT) {
                text = text.substring(0, MAX_TEXT - note.length() - 1) + "…";
            }
            text = text + note;
            happened = now;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", e.title());
        body.put("text", text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT - 1) + "…" : text);
        body.put("date_happened", happened.getEpochSecond());
        body.put("priority", e.kind() == ExportEvent.Kind.INCIDENT ? "normal" : "low");
        body.put("alert_type", e.severity() != null && ALERT_TYPES.contains(e.severity()) ? e.severity() : "info");
        body.put("aggregation_key", e.key());
        body.put("source_type_name", "vigil");
        body.put("tags", DatadogTags.of(e.context(), e.tags(), extraTags));
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex); // maps of strings and numbers: cannot happen
        }
    }
}
