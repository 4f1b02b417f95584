package io.vigil.notify.channel;

import static io.vigil.notify.channel.HttpChannelMessages.ACK_LINK;
import static io.vigil.notify.channel.HttpChannelMessages.AT;
import static io.vigil.notify.channel.HttpChannelMessages.GROUP;
import static io.vigil.notify.channel.HttpChannelMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Severity;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.notify.Message;
import io.vigil.notify.channel.HttpChannelReceiver.Request;
import io.vigil.notify.channel.HttpChannelReceiver.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PagerDutyChannelTest {
    static final String ROUTING_KEY = "R0123456789ABCDEF0123456789ABCDE";
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpChannelReceiver pagerDuty = HttpChannelReceiver.start(PagerDutyChannelTest::eventsApi);

    @AfterEach
    void stop() {
        pagerDuty.close();
    }

    /**
     * The Events API v2 as documented (INTEGRATIONS.md 2.5): POST /v2/enqueue, JSON, the required fields; 202 with
     * the dedup key, or 400 "invalid event" listing what is wrong.
     */
    static Response eventsApi(Request r) {
        if (!r.method().equals("POST") || !r.path().equals("/v2/enqueue")) {
            return Response.of(404, "{\"status\":\"not found\"}");
        }
        List<String> errors = new ArrayList<>();
        String type = r.header("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            errors.add("Content-Type must be application/json");
        }
        if (r.body().length > 512_000) {
            errors.add("payload over 512 KB");
        }
        JsonNode e = r.json();
        if (!e.path("routing_key").isTextual() || e.path("routing_key").asText().length() != 32) {
            errors.add("routing_key");
        }
        String action = e.path("event_action").asText();
        if (!Set.of("trigger", "acknowledge", "resolve").contains(action)) {
            errors.add("event_action");
        }
        String dedup = e.path("dedup_key").asText("");
        if (dedup.isEmpty() || dedup.length() > 255) {
            errors.add("dedup_key");
        }
        if (action.equals("trigger")) {
            JsonNode p = e.path("payload");
            String summary = p.path("summary").asText("");
            if (summary.isEmpty() || summary.length() > 1024) {
                errors.add("payload.summary");
            }
            if (p.path("source").asText("").isBlank()) {
                errors.add("payload.source");
            }
            if (!Set.of("critical", "error", "warning", "info").contains(p.path("severity").asText())) {
                errors.add("payload.severity");
            }
            if (p.has("timestamp")) {
                Instant.parse(p.path("timestamp").asText());
            }
        }
        if (!errors.isEmpty()) {
            return Response.of(400, "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\","
                    + "\"errors\":[\"" + String.join("\",\"", errors) + "\"]}");
        }
        return Response.of(202, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"" + dedup
                .replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    private PagerDutyChannel channel() {
        return new PagerDutyChannel(pagerDuty.uri(""), ROUTING_KEY, "vigil/eu-west", TIMEOUT);
    }

    @Test
    void aResolutionOfPartOfAGroup_sendsNothing_soThePagerDutyAlertStaysOpen() {
        SendOutcome outcome = channel().send(message().kind(io.vigil.alerting.NotificationIntent.Kind.RESOLVED)
                .groupStillFiring(true).build(), List.of());

        assertThat(outcome).isEqualTo(new SendOutcome.Delivered(PagerDutyChannel.NOTHING_TO_SEND));
        assertThat(pagerDuty.failures()).isEmpty();
        assertThat(channel().send(message().kind(io.vigil.alerting.NotificationIntent.Kind.RESOLVED).build(),
                List.of())).isEqualTo(new SendOutcome.Delivered(202));
        assertThat(pagerDuty.only().json().path("event_action").asText()).isEqualTo("resolve");
    }

    @Test
    void firing_triggersTheDocumentedEvent_deliveredOn202() {
        SendOutcome outcome = channel().send(message().build(), List.of());

        assertThat(outcome).as("%s", pagerDuty.failures()).isEqualTo(new SendOutcome.Delivered(202));
        Request r = pagerDuty.only();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v2/enqueue");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        JsonNode e = r.json();
        assertThat(e.path("routing_key").asText()).isEqualTo(ROUTING_KEY);
        assertThat(e.path("event_action").asText()).isEqualTo("trigger");
        assertThat(e.path("dedup_key").asText()).isEqualTo(GROUP);
        assertThat(e.path("client").asText()).isEqualTo("Vigil");
        JsonNode p = e.path("payload");
        assertThat(p.path("summary").asText()).isEqualTo("P0 FIRING: photo upload, 3 active weddings");
        assertThat(p.path("source").asText()).isEqualTo("vigil/eu-west");
        assertThat(p.path("severity").asText()).isEqualTo("critical");
        assertThat(p.path("timestamp").asText()).isEqualTo("2026-06-13T18:00:00Z");
        assertThat(p.path("component").asText()).isEqualTo("photo-upload-latency");
        assertThat(p.path("group").asText()).isEqualTo(GROUP);
        assertThat(p.path("class").asText()).isEqualTo("wedding-impact-critical");
        JsonNode d = p.path("custom_details");
        assertThat(d.path("priority").asText()).isEqualTo("P0");
        assertThat(d.path("wedding_impact").asText()).isEqualTo("critical");
        assertThat(d.path("change").asText()).isEqualTo("FIRING");
        assertThat(d.path("alert_count").asInt()).isEqualTo(1);
        assertThat(d.has("alerts_not_shown")).isFalse();
        JsonNode a = d.path("alerts").path(0);
        assertThat(a.path("rule").asText()).isEqualTo("photo-upload-latency");
        assertThat(a.path("severity").asText()).isEqualTo("critical");
        assertThat(a.path("labels").path("wedding_id").asText()).isEqualTo("w-42");
        assertThat(a.path("labels").path("region").asText()).isEqualTo("eu-west");
        assertThat(a.path("summary").asText()).isEqualTo("p95 6.1 s > 5 s");
        assertThat(a.path("explanation").asText()).startsWith("critical: 2 weddings under way");
        assertThat(a.path("since").asText()).isEqualTo("2026-06-13T17:58:00Z");
        assertThat(d.path("wedding_season").asBoolean()).isTrue();
        assertThat(d.path("peak_wedding_time").asBoolean()).isTrue();
        assertThat(d.path("active_weddings").asInt()).isEqualTo(3);
        assertThat(d.path("upcoming_weddings").asInt()).isEqualTo(2);
        assertThat(d.path("estimated_wedding_load").asDouble()).isEqualTo(630.0);
        assertThat(d.path("affected_weddings").toString()).isEqualTo("[\"w-42\",\"w-43\"]");
        assertThat(d.path("ack_link").asText()).isEqualTo(ACK_LINK);
        assertThat(e.path("links").size()).isEqualTo(1);
        assertThat(e.path("links").path(0).path("href").asText()).isEqualTo(ACK_LINK);
        assertThat(e.path("links").path(0).path("text").asText()).isNotBlank();
    }

    @Test
    void firingWithoutAckLink_hasNoLinks() {
        assertThat(channel().send(message().ackLink(null).build(), List.of()))
                .isInstanceOf(SendOutcome.Delivered.class);

        JsonNode e = pagerDuty.only().json();
        assertThat(e.has("links")).isFalse();
        assertThat(e.path("payload").path("custom_details").has("ack_link")).isFalse();
    }

    @Test
    void triggerEscalateAcknowledgeResolve_ofOneGroup_shareTheDedupKey_followUpsCarryOnlyKeyAndAction() {
        PagerDutyChannel channel = channel();
        for (Kind kind : List.of(Kind.FIRING, Kind.ESCALATED, Kind.ACKNOWLEDGED, Kind.RESOLVED)) {
            assertThat(channel.send(message().kind(kind).build(), List.of())).as("%s %s", kind, pagerDuty.failures())
                    .isEqualTo(new SendOutcome.Delivered(202));
        }

        List<JsonNode> events = pagerDuty.requests().stream().map(Request::json).toList();
        assertThat(events).extracting(e -> e.path("event_action").asText())
                .containsExactly("trigger", "trigger", "acknowledge", "resolve");
        assertThat(events).extracting(e -> e.path("dedup_key").asText()).containsOnly(GROUP);
        for (JsonNode followUp : events.subList(2, 4)) {
            List<String> fields = new ArrayList<>();
            followUp.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactlyInAnyOrder("routing_key", "dedup_key", "event_action");
            assertThat(followUp.path("routing_key").asText()).isEqualTo(ROUTING_KEY);
        }
    }

    @Test
    void severity_P0Critical_P1Error_P2Warning_P3Info() {
        PagerDutyChannel channel = channel();
        for (Priority p : Priority.values()) {
            assertThat(channel.send(message().priority(p).build(), List.of()))
                    .isInstanceOf(SendOutcome.Delivered.class);
        }

        assertThat(pagerDuty.requests()).extracting(r -> r.json().path("payload").path("severity").asText())
                .containsExactly("critical", "error", "warning", "info");
    }

    @Test
    void groupKeyLongerThan255_isHashedToOneStableDedupKeyWithinTheLimit() {
        String longGroup = "{alertname=\"photo-upload-latency\",wedding_id=\"" + "w".repeat(300) + "\"}";
        PagerDutyChannel channel = channel();
        channel.send(message().groupKey(longGroup).build(), List.of());
        channel.send(message().groupKey(longGroup).kind(Kind.RESOLVED).build(), List.of());

        List<String> keys = pagerDuty.requests().stream().map(r -> r.json().path("dedup_key").asText()).toList();
        assertThat(keys.get(0)).matches("vigil-[0-9a-f]{64}").isEqualTo(keys.get(1));
        assertThat(PagerDutyChannel.dedupKey(longGroup + "x")).isNotEqualTo(keys.get(0));
        assertThat(PagerDutyChannel.dedupKey("x".repeat(255))).isEqualTo("x".repeat(255));
    }

    @Test
    void summaryLongerThan1024_isCutTo1024WithAnEllipsis() {
        String title = "P0 FIRING: " + "photo upload slow ".repeat(100);

        assertThat(channel().send(message().title(title).build(), List.of())).isInstanceOf(SendOutcome.Delivered.class);

        String summary = pagerDuty.only().json().path("payload").path("summary").asText();
        assertThat(summary).hasSize(1024).endsWith("\u2026");
        assertThat(title).startsWith(summary.substring(0, 1023));
    }

    @Test
    void thousandsOfAlertLines_stayUnder512KB_keepingTheCountOfThoseLeftOut() {
        List<Message.AlertLine> alerts = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            alerts.add(new Message.AlertLine("photo-processing-" + i, Severity.HIGH,
                    Map.of("wedding_id", "w-" + i, "region", "eu-west"), "p95 " + i + " ms > 15000 ms",
                    "potential: wedding w-" + i + " starts within 2 h; " + "photo processing lags behind ".repeat(3),
                    AT));
        }

        SendOutcome outcome = channel().send(message().alerts(alerts).build(), List.of());

        assertThat(outcome).as("%s", pagerDuty.failures()).isEqualTo(new SendOutcome.Delivered(202));
        Request r = pagerDuty.only();
        assertThat(r.body().length).isLessThanOrEqualTo(512_000);
        JsonNode d = r.json().path("payload").path("custom_details");
        int shown = d.path("alerts").size();
        assertThat(shown).isBetween(100, 4999);
        assertThat(d.path("alert_count").asInt()).isEqualTo(5000);
        assertThat(d.path("alerts_not_shown").asInt()).isEqualTo(5000 - shown);
        assertThat(d.path("alerts").path(0).path("rule").asText()).isEqualTo("photo-processing-0");
        // as many as fit: the room left is less than one more line (each about 250 bytes)
        assertThat(r.body().length).isGreaterThan(512_000 - 1000);
    }

    @Test
    void rateLimited429_withRetryAfter_isRetriedAfterIt() {
        pagerDuty.respondWith(r -> Response.of(429, "{\"status\":\"throttle event\"}").withHeader("Retry-After", "90"));

        assertThat(channel().send(message().build(), List.of()))
                .isEqualTo(new SendOutcome.Retry("http 429", 429, Duration.ofSeconds(90)));
    }

    @Test
    void rateLimited429_withoutRetryAfter_isRetriedAfterAMinute() {
        pagerDuty.respondWith(r -> Response.of(429, "{\"status\":\"throttle event\"}"));

        assertThat(channel().send(message().build(), List.of()))
                .isEqualTo(new SendOutcome.Retry("http 429", 429, Duration.ofMinutes(1)));
    }

    @Test
    void serverError500_isRetried() {
        pagerDuty.respondWith(r -> Response.of(500, "{\"status\":\"error\"}"));

        assertThat(channel().send(message().build(), List.of()))
                .isEqualTo(new SendOutcome.Retry("http 500", 500, null));
    }

    @Test
    void badRequest400_isRejectedForGood() {
        pagerDuty.respondWith(r -> Response.of(400,
                "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\",\"errors\":[\"Length of "
                        + "'routing_key' is incorrect (should be 32 characters)\"]}"));

        assertThat(channel().send(message().build(), List.of())).isEqualTo(new SendOutcome.Rejected("http 400", 400));
    }

    @Test
    void answerSlowerThanTheTimeout_isRetried() {
        pagerDuty.respondWith(r -> eventsApi(r).after(Duration.ofSeconds(3)));
        PagerDutyChannel channel = new PagerDutyChannel(pagerDuty.uri(""), ROUTING_KEY, "vigil/eu-west",
                Duration.ofMillis(300));

        SendOutcome outcome = channel.send(message().build(), List.of());

        assertThat(outcome).isInstanceOf(SendOutcome.Retry.class);
        assertThat(((SendOutcome.Retry) outcome).reason()).startsWith("timeout");
        assertThat(((SendOutcome.Retry) outcome).status()).isZero();
    }

    @Test
    void slowAnswerWithinTheTimeout_isDelivered() {
        pagerDuty.respondWith(r -> eventsApi(r).after(Duration.ofMillis(300)));

        assertThat(channel().send(message().build(), List.of())).isEqualTo(new SendOutcome.Delivered(202));
    }

    @Test
    void connectionRefused_isRetried() {
        PagerDutyChannel channel = new PagerDutyChannel(HttpChannelReceiver.closedPort(""), ROUTING_KEY, "vigil/eu-west",
                TIMEOUT);

        assertThat(channel.send(message().build(), List.of()))
                .isEqualTo(new SendOutcome.Retry("connection refused", 0, null));
    }

    @Test
    void baseWithTrailingSlash_postsToTheSamePath() {
        PagerDutyChannel channel = new PagerDutyChannel(pagerDuty.uri("/"), ROUTING_KEY, "vigil/eu-west", TIMEOUT);

        assertThat(channel.send(message().build(), List.of())).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(pagerDuty.only().path()).isEqualTo("/v2/enqueue");
    }

    @Test
    void routingKey_neverInToStringOrAnyReason_evenWhenTheFarSideEchoesIt() {
        String key = "abcdefghijklmnopqrstuvwxyzabcdef"; // reads as a bare error code if echoed
        PagerDutyChannel channel = new PagerDutyChannel(pagerDuty.uri(""), key, "vigil/eu-west",
                Duration.ofMillis(300));
        List<SendOutcome> outcomes = new ArrayList<>();
        for (Response answer : List.of(Response.of(400, key), Response.of(429, key), Response.of(500, key),
                Response.of(403, key), Response.of(202, "").after(Duration.ofSeconds(2)))) {
            pagerDuty.respondWith(r -> answer);
            outcomes.add(channel.send(message().build(), List.of()));
        }
        outcomes.add(new PagerDutyChannel(HttpChannelReceiver.closedPort(""), key, "vigil/eu-west", TIMEOUT)
                .send(message().build(), List.of()));

        assertThat(channel.toString()).isEqualTo("pagerduty(source=vigil/eu-west)");
        assertThat(outcomes).hasSize(6).allSatisfy(o -> assertThat(o.toString()).doesNotContain(key));
        assertThat(outcomes.getFirst()).isEqualTo(new SendOutcome.Rejected("http 400 [redacted]", 400));
    }

    @Test
    void malformedRoutingKeyOrSource_refusedAtConstruction_withoutQuotingTheKey() {
        URI base = PagerDutyChannel.DEFAULT_BASE;
        String shortKey = "R0123456789ABCDEF";
        assertThatThrownBy(() -> new PagerDutyChannel(base, shortKey, "vigil", TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32")
                .hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> new PagerDutyChannel(base, ROUTING_KEY, " ", TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PagerDutyChannel(URI.create("ftp://events.pagerduty.com"), ROUTING_KEY, "vigil",
                TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
    }
}
