package io.vigil.notify.channel;

import static io.vigil.notify.channel.HttpChannelMessages.ACK_LINK;
import static io.vigil.notify.channel.HttpChannelMessages.AT;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlackChannelTest {
    static final String TOKEN = "abcdefghijklmnopqrstuvwx";
    static final String HOOK_PATH = "/services/T0A1B2C3D/B0E4F5G6H/" + TOKEN;
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Every {@code &} starting an entity other than the three Slack's escaping writes. */
    static final Pattern BARE_AMPERSAND = Pattern.compile("&(?!amp;|lt;|gt;)");

    private final HttpChannelReceiver slack = HttpChannelReceiver.start(SlackChannelTest::incomingWebhook);

    @AfterEach
    void stop() {
        slack.close();
    }

    /**
     * An incoming webhook as Slack documents it (INTEGRATIONS.md 2.6): POST of JSON to the hook's path; 200
     * {@code ok}, or a plain error code: 404 {@code no_service} for an unknown hook, 400 {@code invalid_payload} or
     * {@code invalid_blocks}.
     */
    static Response incomingWebhook(Request r) {
        if (!r.path().equals(HOOK_PATH)) {
            return Response.of(404, "no_service");
        }
        String type = r.header("Content-Type");
        if (!r.method().equals("POST") || type == null || !type.startsWith("application/json")) {
            return Response.of(400, "invalid_payload");
        }
        JsonNode body;
        try {
            body = r.json();
        } catch (RuntimeException e) {
            return Response.of(400, "invalid_payload");
        }
        if (!body.path("text").isTextual() || body.path("text").asText().isEmpty()) {
            return Response.of(400, "no_text");
        }
        return blockErrors(body).isEmpty() ? Response.of(200, "ok") : Response.of(400, "invalid_blocks");
    }

    /** What breaks Slack's Block Kit limits in a message body (nothing, for a valid one). */
    static List<String> blockErrors(JsonNode body) {
        List<String> errors = new ArrayList<>();
        if (body.path("text").asText().length() > 40_000) {
            errors.add("text over 40000");
        }
        JsonNode blocks = body.path("blocks");
        if (!blocks.isArray() || blocks.size() > 50) {
            errors.add("blocks: not an array of at most 50");
        }
        for (JsonNode b : blocks) {
            switch (b.path("type").asText()) {
                case "header" -> {
                    JsonNode t = b.path("text");
                    if (!t.path("type").asText().equals("plain_text") || t.path("text").asText().isEmpty()
                            || t.path("text").asText().length() > 150) {
                        errors.add("header: " + t);
                    }
                }
                case "section" -> {
                    JsonNode t = b.path("text");
                    JsonNode f = b.path("fields");
                    if (t.isMissingNode() && f.isMissingNode()) {
                        errors.add("section without text or fields");
                    }
                    if (!t.isMissingNode() && (t.path("text").asText().isEmpty()
                            || t.path("text").asText().length() > 3000
                            || !Set.of("mrkdwn", "plain_text").contains(t.path("type").asText()))) {
                        errors.add("section text");
                    }
                    if (!f.isMissingNode() && (f.size() == 0 || f.size() > 10 || StreamSupport.stream(f.spliterator(),
                            false).anyMatch(x -> x.path("text").asText().isEmpty()
                            || x.path("text").asText().length() > 2000))) {
                        errors.add("section fields");
                    }
                }
                case "context" -> {
                    JsonNode e = b.path("elements");
                    if (e.size() == 0 || e.size() > 10) {
                        errors.add("context elements");
                    }
                }
                case "actions" -> {
                    JsonNode e = b.path("elements");
                    if (e.size() == 0 || e.size() > 25) {
                        errors.add("actions elements");
                    }
                    for (JsonNode button : e) {
                        if (!button.path("type").asText().equals("button")
                                || !button.path("text").path("type").asText().equals("plain_text")
                                || button.path("text").path("text").asText().length() > 75
                                || button.path("url").asText().length() > 3000) {
                            errors.add("button " + button);
                        }
                    }
                }
                default -> errors.add("unknown block " + b.path("type"));
            }
        }
        return errors;
    }

    /** Whether text is escaped: no {@code <} or {@code >}, and every {@code &} starts one of the three entities. */
    static boolean escaped(String text) {
        return text.indexOf('<') < 0 && text.indexOf('>') < 0 && !BARE_AMPERSAND.matcher(text).find();
    }

    private SlackChannel channel() {
        return new SlackChannel(slack.uri(HOOK_PATH), "#wedding-emergency", TIMEOUT);
    }

    private JsonNode sendAndReceive(Message m) {
        SendOutcome outcome = channel().send(m, List.of());
        assertThat(outcome).as("%s", slack.failures()).isEqualTo(new SendOutcome.Delivered(200));
        JsonNode body = slack.requests().getLast().json();
        assertThat(blockErrors(body)).isEmpty();
        return body;
    }

    private static List<JsonNode> blocksOf(JsonNode body, String type) {
        List<JsonNode> out = new ArrayList<>();
        body.path("blocks").forEach(b -> {
            if (b.path("type").asText().equals(type)) {
                out.add(b);
            }
        });
        return out;
    }

    @Test
    void post_hasFallbackTextHeaderContextAlertsAndAckButton_deliveredOn200Ok() {
        JsonNode body = sendAndReceive(message().build());

        Request r = slack.only();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo(HOOK_PATH);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(body.path("text").asText()).isEqualTo("P0 FIRING: photo upload, 3 active weddings");
        JsonNode blocks = body.path("blocks");
        assertThat(blocks).extracting(b -> b.path("type").asText())
                .containsExactly("header", "section", "section", "actions");
        assertThat(blocks.path(0).path("text").path("type").asText()).isEqualTo("plain_text");
        assertThat(blocks.path(0).path("text").path("text").asText())
                .isEqualTo("P0 FIRING: photo upload, 3 active weddings");
        assertThat(blocks.path(1).path("fields")).extracting(f -> f.path("text").asText()).containsExactly(
                "*Priority:*\nP0 (firing)",
                "*Wedding impact:*\ncritical",
                "*Weddings under way:*\n3 (affected: w-42, w-43)",
                "*Starting soon:*\n2",
                "*Peak wedding time:*\nyes, wedding season",
                "*Estimated wedding load:*\n630");
        assertThat(blocks.path(2).path("text").path("type").asText()).isEqualTo("mrkdwn");
        assertThat(blocks.path(2).path("text").path("text").asText()).isEqualTo(
                "*critical* `photo-upload-latency` region=eu-west, wedding_id=w-42\n"
                        + "p95 6.1 s &gt; 5 s\n"
                        + "critical: 2 weddings under way, photo upload is in their critical path\n"
                        + "since 2026-06-13T17:58:00Z");
        JsonNode button = blocks.path(3).path("elements").path(0);
        assertThat(button.path("type").asText()).isEqualTo("button");
        assertThat(button.path("text").path("text").asText()).isEqualTo("Acknowledge");
        assertThat(button.path("url").asText()).isEqualTo(ACK_LINK);
    }

    @Test
    void withoutAckLink_thereIsNoActionsBlock() {
        JsonNode body = sendAndReceive(message().kind(Kind.RESOLVED).ackLink(null).build());

        assertThat(blocksOf(body, "actions")).isEmpty();
        assertThat(body.path("blocks").path(1).path("fields").path(0).path("text").asText())
                .isEqualTo("*Priority:*\nP0 (resolved)");
    }

    @Test
    void titleWithoutPriorityAndKind_getsThemInTheHeader() {
        JsonNode body = sendAndReceive(message().priority(Priority.P1).kind(Kind.ESCALATED)
                .title("checkout errors, 1 active wedding").build());

        assertThat(body.path("blocks").path(0).path("text").path("text").asText())
                .isEqualTo("P1 ESCALATED: checkout errors, 1 active wedding");
    }

    @Test
    void longTitle_headerIsCutTo150CharsWithAnEllipsis() {
        JsonNode body = sendAndReceive(message().title("P0 FIRING: " + "photo upload degraded, ".repeat(20)).build());

        String header = body.path("blocks").path(0).path("text").path("text").asText();
        assertThat(header).hasSize(150).endsWith("\u2026").startsWith("P0 FIRING: photo upload degraded, ");
    }

    @Test
    void manyAlerts_fillAtMost50Blocks_andOneContextBlockCountsTheRest() {
        JsonNode withButton = sendAndReceive(message().alerts(120).build());
        JsonNode withoutButton = sendAndReceive(message().alerts(120).ackLink(null).build());

        assertThat(withButton.path("blocks").size()).isEqualTo(50);
        assertThat(blocksOf(withButton, "section")).hasSize(1 + 46);
        assertThat(blocksOf(withButton, "context")).singleElement()
                .satisfies(c -> assertThat(c.path("elements").path(0).path("text").asText())
                        .startsWith("+ 74 more alerts"));
        assertThat(withButton.path("blocks").path(49).path("type").asText()).isEqualTo("actions");

        assertThat(withoutButton.path("blocks").size()).isEqualTo(50);
        assertThat(blocksOf(withoutButton, "section")).hasSize(1 + 47);
        assertThat(blocksOf(withoutButton, "context")).singleElement()
                .satisfies(c -> assertThat(c.path("elements").path(0).path("text").asText())
                        .startsWith("+ 73 more alerts"));
    }

    @Test
    void alertsThatJustFit_allShown_withoutACountBlock() {
        JsonNode body = sendAndReceive(message().alerts(47).build());

        assertThat(body.path("blocks").size()).isEqualTo(50);
        assertThat(blocksOf(body, "section")).hasSize(1 + 47);
        assertThat(blocksOf(body, "context")).isEmpty();
    }

    @Test
    void textFromAlerts_isEscapedForMrkdwn_soItCannotMentionChannelOrForgeLinks() {
        Message.AlertLine hostile = new Message.AlertLine("r&d-<rule>", Severity.MEDIUM,
                Map.of("wedding_id", "<w-1>"), "<!channel> p95 & <https://evil.example|click here>",
                "see <@U123>", AT);
        Message m = message().priority(Priority.P2).title("P2 FIRING: <!here> Smith & Jones").alerts(List.of(hostile))
                .context(new Message.Context(false, false, 1, 0, 12.5, List.of("w<1>&"))).build();

        JsonNode body = sendAndReceive(m);

        assertThat(body.path("text").asText()).isEqualTo("P2 FIRING: &lt;!here&gt; Smith &amp; Jones");
        assertThat(body.path("blocks").path(0).path("text").path("text").asText())
                .as("plain_text is not parsed, so it stays as written").isEqualTo("P2 FIRING: <!here> Smith & Jones");
        String alert = body.path("blocks").path(2).path("text").path("text").asText();
        assertThat(escaped(alert)).isTrue();
        assertThat(alert).contains("`r&amp;d-&lt;rule&gt;`", "wedding_id=&lt;w-1&gt;",
                "&lt;!channel&gt; p95 &amp; &lt;https://evil.example|click here&gt;", "see &lt;@U123&gt;");
        assertThat(body.path("blocks").path(1).path("fields")).allSatisfy(f -> assertThat(escaped(f.path("text")
                .asText())).isTrue());
        assertThat(body.path("blocks").path(1).path("fields").path(2).path("text").asText())
                .isEqualTo("*Weddings under way:*\n1 (affected: w&lt;1&gt;&amp;)");
        assertThat(body.path("blocks").path(1).path("fields").path(5).path("text").asText())
                .isEqualTo("*Estimated wedding load:*\n12.5");
    }

    @Test
    void longAlertText_isCutTo3000WithoutLeavingHalfAnEntity() {
        Message.AlertLine huge = new Message.AlertLine("photo-upload-latency", Severity.CRITICAL, Map.of(),
                "a&b ".repeat(1500), null, null);

        JsonNode body = sendAndReceive(message().alerts(List.of(huge)).build());

        String text = body.path("blocks").path(2).path("text").path("text").asText();
        assertThat(text.length()).isLessThanOrEqualTo(3000);
        assertThat(text).endsWith("\u2026");
        assertThat(escaped(text)).isTrue();
    }

    @Test
    void rateLimited429_withRetryAfter_isRetriedAfterIt() {
        slack.respondWith(r -> Response.of(429, "{\"retry_after\":1,\"ok\":false,\"error\":\"rate_limited\"}")
                .withHeader("Retry-After", "1"));

        assertThat(channel().send(message().build(), List.of()))
                .isEqualTo(new SendOutcome.Retry("http 429", 429, Duration.ofSeconds(1)));

        slack.respondWith(r -> Response.of(429, "rate_limited").withHeader("Retry-After", "30"));

        assertThat(channel().send(message().build(), List.of()))
                .isEqualTo(new SendOutcome.Retry("http 429 rate_limited", 429, Duration.ofSeconds(30)));
    }

    @Test
    void serverError500_isRetried() {
        slack.respondWith(r -> Response.of(500, "internal_error"));

        assertThat(channel().send(message().build(), List.of()))
                .isEqualTo(new SendOutcome.Retry("http 500 internal_error", 500, null));
    }

    @ParameterizedTest
    @CsvSource({"400, invalid_payload", "400, invalid_blocks", "403, invalid_token", "403, action_prohibited",
            "404, channel_not_found", "404, no_service", "410, channel_is_archived"})
    void documentedPermanentErrors_areRejectedForGood(int status, String code) {
        slack.respondWith(r -> Response.of(status, code));

        assertThat(channel().send(message().build(), List.of()))
                .isEqualTo(new SendOutcome.Rejected("http " + status + " " + code, status));
    }

    @Test
    void unknownHook_isRejectedAs404NoService() {
        SlackChannel wrong = new SlackChannel(slack.uri("/services/T0A1B2C3D/B0E4F5G6H/revoked"), "#x", TIMEOUT);

        assertThat(wrong.send(message().build(), List.of())).isEqualTo(new SendOutcome.Rejected("http 404 no_service",
                404));
    }

    @Test
    void answerSlowerThanTheTimeout_isRetried() {
        slack.respondWith(r -> incomingWebhook(r).after(Duration.ofSeconds(3)));
        SlackChannel channel = new SlackChannel(slack.uri(HOOK_PATH), "#wedding-emergency", Duration.ofMillis(300));

        SendOutcome outcome = channel.send(message().build(), List.of());

        assertThat(outcome).isInstanceOf(SendOutcome.Retry.class);
        assertThat(((SendOutcome.Retry) outcome).reason()).startsWith("timeout");
    }

    @Test
    void slowAnswerWithinTheTimeout_isDelivered() {
        slack.respondWith(r -> incomingWebhook(r).after(Duration.ofMillis(300)));

        assertThat(channel().send(message().build(), List.of())).isEqualTo(new SendOutcome.Delivered(200));
    }

    @Test
    void connectionRefused_isRetried() {
        SlackChannel channel = new SlackChannel(HttpChannelReceiver.closedPort(HOOK_PATH), "#wedding-emergency", TIMEOUT);

        assertThat(channel.send(message().build(), List.of()))
                .isEqualTo(new SendOutcome.Retry("connection refused", 0, null));
    }

    @Test
    void webhookToken_neverInToStringOrAnyReason_evenWhenTheFarSideEchoesIt() {
        SlackChannel channel = new SlackChannel(slack.uri(HOOK_PATH), "#wedding-emergency", Duration.ofMillis(300));
        List<SendOutcome> outcomes = new ArrayList<>();
        for (Response answer : List.of(Response.of(403, TOKEN), Response.of(429, TOKEN), Response.of(500, TOKEN),
                Response.of(404, HOOK_PATH), Response.of(200, "ok").after(Duration.ofSeconds(2)))) {
            slack.respondWith(r -> answer);
            outcomes.add(channel.send(message().build(), List.of()));
        }
        outcomes.add(new SlackChannel(HttpChannelReceiver.closedPort(HOOK_PATH), "#wedding-emergency", TIMEOUT)
                .send(message().build(), List.of()));

        assertThat(channel.toString()).isEqualTo("slack(#wedding-emergency)");
        assertThat(outcomes).hasSize(6).allSatisfy(o -> assertThat(o.toString()).doesNotContain(TOKEN, "/services/"));
        assertThat(outcomes.getFirst()).isEqualTo(new SendOutcome.Rejected("http 403 [redacted]", 403));
    }

    @Test
    void malformedWebhookUrl_refusedAtConstruction_withoutQuotingIt() {
        assertThatThrownBy(() -> new SlackChannel(URI.create("hooks.slack.com/services/T1/B1/" + TOKEN), "#x",
                TIMEOUT)).isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> new SlackChannel(URI.create("https:/services/T1/B1/" + TOKEN), "#x", TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(TOKEN);
    }
}
