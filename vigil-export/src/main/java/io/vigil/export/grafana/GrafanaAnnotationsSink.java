package io.vigil.export.grafana;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.outbound.HttpDelivery;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.export.ExportEvent;
import io.vigil.export.ExportSink;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Marks wedding days, P0/P1 incidents and load tests on Grafana's graphs (docs/export/grafana.md): each event is one
 * {@code POST <url>/api/annotations} with the service-account token as {@code Authorization: Bearer}, a region when the
 * event has an end (INTEGRATIONS.md 2.10):
 *
 * <pre>{@code
 * {"time": 1717239600000, "timeEnd": 1717282800000,
 *  "tags": ["vigil_event:wedding_day", "weddings:1-5", "wedding_season:true", "wedding_peak_time:true",
 *           "estimated_wedding_load:moderate"],
 *  "text": "Wedding day 2024-06-01: 2 weddings, 300 guests\nWeddings active from ...",
 *  "dashboardUID": "vigil"}
 * }</pre>
 *
 * <p>Times are epoch milliseconds; {@code tags} are the event's own tags (always including
 * {@code vigil_event:<kind>}, which the dashboard's annotation queries match) followed by the wedding context as
 * {@code name:value}; {@code text} is the title, a line feed and the text; {@code dashboardUID} only when configured
 * (otherwise an organisation-wide annotation). 200 is success; 5xx, timeouts and network errors are retried by the
 * {@link io.vigil.export.pipeline.ExportWorker}; every 4xx is rejected for good (INTEGRATIONS.md 2.14). One event per
 * request ({@link #maxBatch()} 1).
 *
 * <p>The token is sent in the header only: it is never in a reason, a log line or {@link #toString()}. Thread-safe.
 */
public final class GrafanaAnnotationsSink implements ExportSink<ExportEvent> {
    /** The sink's name in health and metrics. */
    public static final String NAME = "grafana-annotations";
    /** Grafana's rule (INTEGRATIONS.md 2.14): 5xx is retried, every 4xx is not. */
    static final IntPredicate RETRYABLE = status -> status >= 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String token;
    private final String dashboardUid;
    private final HttpDelivery http;

    /**
     * Use {@link Grafana#sink}, which validates the configuration.
     *
     * @param endpoint the full {@code .../api/annotations} URL
     * @param token the service-account token
     * @param dashboardUid the dashboard to annotate, or null for organisation-wide annotations
     */
    GrafanaAnnotationsSink(URI endpoint, String token, String dashboardUid, HttpDelivery http) {
        this.endpoint = endpoint;
        this.token = token;
        this.dashboardUid = dashboardUid;
        this.http = http;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** One: Grafana's API takes one annotation per request. */
    @Override
    public int maxBatch() {
        return 1;
    }

    /** One payload per event. */
    @Override
    public Encoded<ExportEvent> encode(List<ExportEvent> items) {
        List<Payload<ExportEvent>> out = new ArrayList<>(items.size());
        for (ExportEvent e : items) {
            out.add(new Payload<>(List.of(e), body(e, dashboardUid)));
        }
        return Encoded.of(out);
    }

    @Override
    public SendOutcome send(Payload<ExportEvent> payload) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload.body()));
        return scrub(http.send(request, body -> null, RETRYABLE));
    }

    /** The annotation of an event as JSON (see the class comment). */
    static byte[] body(ExportEvent e, String dashboardUid) {
        ObjectNode n = JSON.createObjectNode();
        long time = e.start().toEpochMilli();
        n.put("time", time);
        if (e.end() != null) {
            n.put("timeEnd", Math.max(time, e.end().toEpochMilli()));
        }
        Set<String> tags = new LinkedHashSet<>(e.tags());
        String kind = "vigil_event:" + e.kind().wireName();
        if (!tags.contains(kind)) {
            Set<String> first = new LinkedHashSet<>();
            first.add(kind);
            first.addAll(tags);
            tags = first;
        }
        if (e.context() != null) {
            for (var t : e.context().asMap().entrySet()) {
                tags.add(t.getKey() + ":" + t.getValue());
            }
        }
        var array = n.putArray("tags");
        tags.forEach(array::add);
        String text = e.text() == null || e.text().isBlank() ? e.title() : e.title() + "\n" + e.text();
        n.put("text", text);
        if (dashboardUid != null) {
            n.put("dashboardUID", dashboardUid);
        }
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The outcome with the token cut out of its reason, should a far side ever echo it as a bare error code. */
    private SendOutcome scrub(SendOutcome outcome) {
        return switch (outcome) {
            case SendOutcome.Retry r when r.reason().contains(token) ->
                    new SendOutcome.Retry(r.reason().replace(token, "[token]"), r.status(), r.retryAfter());
            case SendOutcome.Rejected r when r.reason().contains(token) ->
                    new SendOutcome.Rejected(r.reason().replace(token, "[token]"), r.status());
            default -> outcome;
        };
    }

    /** The endpoint and dashboard; never the token. */
    @Override
    public String toString() {
        return "GrafanaAnnotationsSink[" + endpoint + (dashboardUid == null ? "" : ", dashboardUID=" + dashboardUid)
                + "]";
    }
}
