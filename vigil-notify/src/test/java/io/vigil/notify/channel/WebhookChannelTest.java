package io.vigil.notify.channel;

import static io.vigil.notify.channel.HttpChannelMessages.ACK_LINK;
import static io.vigil.notify.channel.HttpChannelMessages.AT;
import static io.vigil.notify.channel.HttpChannelMessages.GROUP;
import static io.vigil.notify.channel.HttpChannelMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.notify.Message;
import io.vigil.notify.channel.HttpChannelReceiver.Request;
import io.vigil.notify.channel.HttpChannelReceiver.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookChannelTest {
    static final String SECRET = "wedding-webhook-secret-0123456789abcdef";
    static final Duration TOLERANCE = Duration.ofMinutes(5);
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final Clock CLOCK = Clock.fixed(AT, ZoneOffset.UTC);
    static final String PATH = "/hooks/vigil";

    private final HttpChannelReceiver receiver = HttpChannelReceiver.start(WebhookChannelTest::verifyingReceiver);

    @AfterEach
    void stop() {
        receiver.close();
    }

    /** A receiver as docs/notifications.md tells them to be: it verifies the signature, then answers 204 or 401. */
    static Response verifyingReceiver(Request r) {
        boolean genuine = r.method().equals("POST")
                && WebhookSignature.verify(SECRET, r.header("X-Vigil-Timestamp"), r.header("X-Vigil-Signature"),
                        r.body(), AT, TOLERANCE);
        return genuine ? Response.of(204, "") : Response.of(401, "bad_signature");
    }

    private WebhookChannel channel() {
        return new WebhookChannel(receiver.uri(PATH), SECRET, CLOCK, TIMEOUT);
    }

    private Request sendAndReceive(Message m) {
        assertThat(channel().send(m, List.of())).as("%s", receiver.failures())
                .isEqualTo(new SendOutcome.Delivered(204));
        return receiver.requests().getLast();
    }

    static String hmacHex(String secret, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void post_isSigned_andTheReceiverVerifiesAndAcceptsIt() throws Exception {
        Message m = message().build();

        Request r = sendAndReceive(m);

        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo(PATH);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("User-Agent")).isEqualTo("Vigil");
        assertThat(r.header("X-Vigil-Timestamp")).isEqualTo(String.valueOf(AT.getEpochSecond()));
        assertThat(r.header("X-Vigil-Signature"))
                .isEqualTo("v1=" + hmacHex(SECRET, String.valueOf(AT.getEpochSecond()), r.body()));
        assertThat(r.header("X-Vigil-Delivery")).isEqualTo(m.key());
    }

    @Test
    void body_followsTheDocumentedSchema() {
        Message m = message().build();

        JsonNode b = sendAndReceive(m).json();

        List<String> fields = new ArrayList<>();
        b.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("version", "key", "groupKey", "kind", "priority", "impact", "title",
                "alerts", "context", "ackLink", "at");
        assertThat(b.path("version").asInt()).isEqualTo(1);
        assertThat(b.path("key").asText()).isEqualTo(m.key());
        assertThat(b.path("groupKey").asText()).isEqualTo(GROUP);
        assertThat(b.path("kind").asText()).isEqualTo("FIRING");
        assertThat(b.path("priority").asText()).isEqualTo("P0");
        assertThat(b.path("impact").asText()).isEqualTo("critical");
        assertThat(b.path("title").asText()).isEqualTo("P0 FIRING: photo upload, 3 active weddings");
        JsonNode a = b.path("alerts").path(0);
        assertThat(b.path("alerts").size()).isEqualTo(1);
        assertThat(a.path("ruleId").asText()).isEqualTo("photo-upload-latency");
        assertThat(a.path("severity").asText()).isEqualTo("critical");
        assertThat(a.path("labels").toString()).isEqualTo("{\"region\":\"eu-west\",\"wedding_id\":\"w-42\"}");
        assertThat(a.path("summary").asText()).isEqualTo("p95 6.1 s > 5 s");
        assertThat(a.path("explanation").asText()).startsWith("critical: 2 weddings under way");
        assertThat(a.path("since").asText()).isEqualTo("2026-06-13T17:58:00Z");
        JsonNode c = b.path("context");
        assertThat(c.path("weddingSeason").asBoolean()).isTrue();
        assertThat(c.path("peakTime").asBoolean()).isTrue();
        assertThat(c.path("activeWeddings").asInt()).isEqualTo(3);
        assertThat(c.path("upcomingWeddings").asInt()).isEqualTo(2);
        assertThat(c.path("estimatedWeddingLoad").asDouble()).isEqualTo(630.0);
        assertThat(c.path("affectedWeddings").toString()).isEqualTo("[\"w-42\",\"w-43\"]");
        assertThat(b.path("ackLink").asText()).isEqualTo(ACK_LINK);
        assertThat(b.path("at").asText()).isEqualTo("2026-06-13T18:00:00Z");

        JsonNode resolved = sendAndReceive(message().kind(Kind.RESOLVED).ackLink(null).build()).json();
        assertThat(resolved.path("kind").asText()).isEqualTo("RESOLVED");
        assertThat(resolved.has("ackLink")).isTrue();
        assertThat(resolved.path("ackLink").isNull()).isTrue();
    }

    @Test
    void tamperedBody_isRefusedByVerify() {
        Request r = sendAndReceive(message().build());
        byte[] tampered = new String(r.body(), StandardCharsets.UTF_8).replace("\"P0\"", "\"P3\"")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(tampered).isNotEqualTo(r.body());
        assertThat(WebhookSignature.verify(SECRET, r.header("X-Vigil-Timestamp"), r.header("X-Vigil-Signature"),
                tampered, AT, TOLERANCE)).isFalse();
        byte[] extraByte = Arrays.copyOf(r.body(), r.body().length + 1);
        assertThat(WebhookSignature.verify(SECRET, r.header("X-Vigil-Timestamp"), r.header("X-Vigil-Signature"),
                extraByte, AT, TOLERANCE)).isFalse();
    }

    @Test
    void wrongSecret_isRefusedByVerify() {
        Request r = sendAndReceive(message().build());

        assertThat(WebhookSignature.verify(SECRET.replace('0', '1'), r.header("X-Vigil-Timestamp"),
                r.header("X-Vigil-Signature"), r.body(), AT, TOLERANCE)).isFalse();
    }

    @Test
    void timestampOutsideTheTolerance_replayOrSkew_isRefusedByVerify_withinIsAccepted() {
        Request r = sendAndReceive(message().build());
        String ts = r.header("X-Vigil-Timestamp");
        String sig = r.header("X-Vigil-Signature");

        assertThat(WebhookSignature.verify(SECRET, ts, sig, r.body(), AT.plus(Duration.ofMinutes(6)), TOLERANCE))
                .as("replayed 6 min later").isFalse();
        assertThat(WebhookSignature.verify(SECRET, ts, sig, r.body(), AT.minus(Duration.ofMinutes(6)), TOLERANCE))
                .as("from 6 min in the future").isFalse();
        assertThat(WebhookSignature.verify(SECRET, ts, sig, r.body(), AT.plus(Duration.ofMinutes(5)), TOLERANCE))
                .as("5 min later, within the tolerance").isTrue();
        // a replay with a fresh timestamp does not match the signature
        String fresh = String.valueOf(AT.plus(Duration.ofMinutes(6)).getEpochSecond());
        assertThat(WebhookSignature.verify(SECRET, fresh, sig, r.body(), AT.plus(Duration.ofMinutes(6)), TOLERANCE))
                .isFalse();
    }

    @Test
    void senderClockFarBehind_receiverRefusesAsAReplay_rejected() {
        WebhookChannel late = new WebhookChannel(receiver.uri(PATH), SECRET,
                Clock.fixed(AT.minus(Duration.ofMinutes(10)), ZoneOffset.UTC), TIMEOUT);

        assertThat(late.send(message().build(), List.of()))
                .isEqualTo(new SendOutcome.Rejected("http 401 bad_signature", 401));
    }

    @Test
    void malformedHeaders_areRefusedByVerify_neverThrow() throws Exception {
        byte[] body = "{\"version\":1}".getBytes(StandardCharsets.UTF_8);
        String ts = String.valueOf(AT.getEpochSecond());
        String hex = hmacHex(SECRET, ts, body);
        assertThat(WebhookSignature.verify(SECRET, ts, "v1=" + hex, body, AT, TOLERANCE)).isTrue();
        assertThat(WebhookSignature.verify(SECRET, ts, "v1=" + hex.toUpperCase(), body, AT, TOLERANCE)).isTrue();

        for (String badTs : Arrays.asList(null, "", "abc", "-" + ts, ts + ".0", "1e9", "99999999999999999999")) {
            assertThat(WebhookSignature.verify(SECRET, badTs, "v1=" + hex, body, AT, TOLERANCE)).as(badTs).isFalse();
        }
        for (String badSig : Arrays.asList(null, "", hex, "v0=" + hex, "v1=" + hex.substring(1),
                "v1=" + hex + "00", "v1=" + hex.substring(2) + "zz", "v1=", "V1=" + hex, "v1=" + hex + ",v1=" + hex)) {
            assertThat(WebhookSignature.verify(SECRET, ts, badSig, body, AT, TOLERANCE)).as(badSig).isFalse();
        }
        assertThat(WebhookSignature.verify(SECRET, ts, "v1=" + hex, null, AT, TOLERANCE)).isFalse();
    }

    @Test
    void secretShorterThan32Bytes_refusedAtConstruction_withoutPrintingIt() {
        String shortSecret = "wedding-secret-0123456789abcdef"; // 31 bytes
        assertThat(shortSecret.getBytes(StandardCharsets.UTF_8)).hasSize(31);

        assertThatThrownBy(() -> new WebhookChannel(receiver.uri(PATH), shortSecret, CLOCK, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 bytes")
                .hasMessageNotContaining(shortSecret);
        assertThatThrownBy(() -> new WebhookChannel(receiver.uri(PATH), null, CLOCK, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
        // bytes count, not characters: 11 euro signs are 33 bytes
        new WebhookChannel(receiver.uri(PATH), "\u20ac".repeat(11), CLOCK, TIMEOUT);
    }

    @Test
    void deliveryHeader_percentEncodesWhatAHeaderCannotCarry() {
        Message m = message().groupKey("{alertname=\"caf\u00e9 \u20ac\",wedding_id=\"100%\"}").build();

        Request r = sendAndReceive(m);

        assertThat(r.header("X-Vigil-Delivery"))
                .startsWith("{alertname=\"caf%C3%A9%20%E2%82%AC\",wedding_id=\"100%25\"}|");
        assertThat(r.json().path("key").asText()).isEqualTo(m.key());
    }

    @Test
    void rateLimited429_withRetryAfter_isRetriedAfterIt() {
        receiver.respondWith(r -> Response.of(429, "").withHeader("Retry-After", "12"));

        assertThat(channel().send(message().build(), List.of()))
                .isEqualTo(new SendOutcome.Retry("http 429", 429, Duration.ofSeconds(12)));
    }

    @Test
    void serverError500_isRetried_badRequest400_isRejected() {
        receiver.respondWith(r -> Response.of(500, "<html>oops</html>"));
        assertThat(channel().send(message().build(), List.of()))
                .isEqualTo(new SendOutcome.Retry("http 500", 500, null));

        receiver.respondWith(r -> Response.of(400, "unknown_schema_version"));
        assertThat(channel().send(message().build(), List.of()))
                .isEqualTo(new SendOutcome.Rejected("http 400 unknown_schema_version", 400));
    }

    @Test
    void answerSlowerThanTheTimeout_isRetried() {
        receiver.respondWith(r -> verifyingReceiver(r).after(Duration.ofSeconds(3)));
        WebhookChannel channel = new WebhookChannel(receiver.uri(PATH), SECRET, CLOCK, Duration.ofMillis(300));

        SendOutcome outcome = channel.send(message().build(), List.of());

        assertThat(outcome).isInstanceOf(SendOutcome.Retry.class);
        assertThat(((SendOutcome.Retry) outcome).reason()).startsWith("timeout");
    }

    @Test
    void slowAnswerWithinTheTimeout_isDelivered() {
        receiver.respondWith(r -> verifyingReceiver(r).after(Duration.ofMillis(300)));

        assertThat(channel().send(message().build(), List.of())).isEqualTo(new SendOutcome.Delivered(204));
    }

    @Test
    void connectionRefused_isRetried() {
        WebhookChannel channel = new WebhookChannel(HttpChannelReceiver.closedPort(PATH), SECRET, CLOCK, TIMEOUT);

        assertThat(channel.send(message().build(), List.of()))
                .isEqualTo(new SendOutcome.Retry("connection refused", 0, null));
    }

    @Test
    void secretAndUrlPath_neverInToStringOrAnyReason_evenWhenTheFarSideEchoesThem() {
        String secret = "wedding_webhook_secret_abcdefghijklmn"; // reads as a bare error code if echoed
        String tokenPath = "/hooks/tokenabcdefghijklmnopqrstu";
        WebhookChannel channel = new WebhookChannel(receiver.uri(tokenPath + "?key=q1w2e3r4t5"), secret, CLOCK,
                Duration.ofMillis(300));
        List<SendOutcome> outcomes = new ArrayList<>();
        for (Response answer : List.of(Response.of(401, secret), Response.of(429, secret), Response.of(503, secret),
                Response.of(404, tokenPath), Response.of(204, "").after(Duration.ofSeconds(2)))) {
            receiver.respondWith(r -> answer);
            outcomes.add(channel.send(message().build(), List.of()));
        }
        outcomes.add(new WebhookChannel(HttpChannelReceiver.closedPort(tokenPath), secret, CLOCK, TIMEOUT)
                .send(message().build(), List.of()));

        assertThat(channel.toString()).isEqualTo("webhook(127.0.0.1)");
        assertThat(outcomes).hasSize(6)
                .allSatisfy(o -> assertThat(o.toString()).doesNotContain(secret, "tokenabc", "q1w2e3r4t5"));
        assertThat(outcomes.getFirst()).isEqualTo(new SendOutcome.Rejected("http 401 [redacted]", 401));
    }

    @Test
    void documentedExample_verifies() {
        // docs/notifications.md: the openssl one-liner gives this digest for this body, timestamp and secret
        byte[] body = "{\"version\":1,\"key\":\"k\"}".getBytes(StandardCharsets.UTF_8);
        String signature = "v1=0c6d55bc11fcd6b78f53068c460248f333874b03cb2dfa16ffe9026c22c2f566";

        assertThat(WebhookSignature.verify(SECRET, "1781373600", signature, body, AT, TOLERANCE)).isTrue();
    }

    @Test
    void signatureIsOverTheExactBytesSent_notAReserialisation() throws Exception {
        Request r = sendAndReceive(message().title("P0 FIRING: caf\u00e9 \u2014 \"quoted\"").build());

        assertThat(r.header("X-Vigil-Signature"))
                .isEqualTo("v1=" + hmacHex(SECRET, r.header("X-Vigil-Timestamp"), r.body()));
        assertThat(r.json().path("title").asText()).isEqualTo("P0 FIRING: caf\u00e9 \u2014 \"quoted\"");
        assertThat(Instant.ofEpochSecond(Long.parseLong(r.header("X-Vigil-Timestamp")))).isEqualTo(AT);
    }
}
