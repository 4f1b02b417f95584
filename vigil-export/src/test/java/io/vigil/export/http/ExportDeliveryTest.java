package io.vigil.export.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.outbound.HttpDelivery;
import io.vigil.core.outbound.SendOutcome;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExportDeliveryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-14T18:00:00Z"), ZoneOffset.UTC);
    private final Receiver receiver = new Receiver(r -> Receiver.Response.of(202, "application/json",
            "{\"requestId\":\"abc\"}".getBytes(StandardCharsets.UTF_8)));
    private final ExportDelivery delivery = new ExportDelivery(Duration.ofMillis(500), CLOCK);

    @AfterEach
    void close() {
        receiver.close();
    }

    private ExportDelivery.Answer post(URI uri) {
        return delivery.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{}")),
                HttpDelivery.COMMON_RETRYABLE);
    }

    @Test
    void send_2xx_isDeliveredWithTheAnswersBody() {
        ExportDelivery.Answer a = post(receiver.uri("/metric/v1"));

        assertThat(a.outcome()).isEqualTo(new SendOutcome.Delivered(202));
        assertThat(new String(a.body(), StandardCharsets.UTF_8)).isEqualTo("{\"requestId\":\"abc\"}");
    }

    @Test
    void send_retryableStatus_isRetryWithRetryAfterInSecondsOrAsDate() {
        receiver.script(Receiver.Response.of(429).withHeader("Retry-After", "30"),
                Receiver.Response.of(503).withHeader("Retry-After", "Sat, 14 Jun 2025 18:02:00 GMT"),
                Receiver.Response.of(500).withHeader("Retry-After", "86400"));

        assertThat(post(receiver.uri("/")).outcome()).isEqualTo(new SendOutcome.Retry("http 429", 429,
                Duration.ofSeconds(30)));
        assertThat(post(receiver.uri("/")).outcome()).isEqualTo(new SendOutcome.Retry("http 503", 503,
                Duration.ofMinutes(2)));
        assertThat(post(receiver.uri("/")).outcome()).isEqualTo(new SendOutcome.Retry("http 500", 500,
                Duration.ofHours(1)));
    }

    @Test
    void send_otherStatus_isRejectedWithAReasonThatQuotesNothingOfTheAnswer() {
        receiver.script(Receiver.Response.of(400, "text/plain", "key NRAK-SECRET is wrong".getBytes()));

        ExportDelivery.Answer a = post(receiver.uri("/"));

        assertThat(a.outcome()).isEqualTo(new SendOutcome.Rejected("http 400", 400));
        assertThat(a.body()).isEmpty();
    }

    @Test
    void send_redirect_isNotFollowed() {
        receiver.script(Receiver.Response.of(307).withHeader("Location", receiver.uri("/elsewhere").toString()));

        assertThat(post(receiver.uri("/")).outcome()).isEqualTo(new SendOutcome.Rejected("http 307", 307));
        assertThat(receiver.requests()).extracting(Receiver.Request::path).containsExactly("/");
    }

    @Test
    void send_answerSlowerThanTheTimeout_isRetryAsTimeout() {
        receiver.script(Receiver.Response.of(202).after(Duration.ofSeconds(3)));

        assertThat(post(receiver.uri("/")).outcome()).isEqualTo(new SendOutcome.Retry("timeout after 500 ms", 0, null));
    }

    @Test
    void send_nothingListening_isRetryAsConnectionRefused() {
        assertThat(post(Receiver.closedPort("/")).outcome())
                .isEqualTo(new SendOutcome.Retry("connection refused", 0, null));
    }

    @Test
    void send_hugeAnswer_keepsOnlyTheFirst64KiB() {
        byte[] big = new byte[1_000_000];
        Arrays.fill(big, (byte) 'x');
        receiver.script(Receiver.Response.of(200, "text/plain", big));

        ExportDelivery.Answer a = post(receiver.uri("/"));

        assertThat(a.outcome()).isEqualTo(new SendOutcome.Delivered(200));
        assertThat(a.body()).hasSize(ExportDelivery.MAX_BODY);
    }
}
