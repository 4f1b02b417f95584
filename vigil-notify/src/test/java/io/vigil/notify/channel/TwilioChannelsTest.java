package io.vigil.notify.channel;

import static io.vigil.notify.channel.FakeTwilio.SID;
import static io.vigil.notify.channel.FakeTwilio.TOKEN;
import static io.vigil.notify.channel.MailSmsTestMessages.ACK_LINK;
import static io.vigil.notify.channel.MailSmsTestMessages.alert;
import static io.vigil.notify.channel.MailSmsTestMessages.manyAlerts;
import static io.vigil.notify.channel.MailSmsTestMessages.message;
import static io.vigil.notify.channel.MailSmsTestMessages.photoUploadP0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.outbound.SendOutcome;
import io.vigil.notify.Message;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The SMS and voice channels against a local server that checks requests as Twilio does. */
class TwilioChannelsTest {
    static final String FROM = "+14155550199";
    static final String ONCALL = "+447700900123";
    static final String LEAD = "+14155550100";
    static final String COORDINATOR = "+447700900456";
    static final List<String> NUMBERS = List.of(FROM, ONCALL, LEAD, COORDINATOR, "447700900123", "4155550100",
            "7700900456");

    FakeTwilio twilio;

    @BeforeEach
    void start() throws Exception {
        twilio = new FakeTwilio();
    }

    @AfterEach
    void stop() {
        twilio.close();
    }

    TwilioConfig.Builder config(List<String> recipients) {
        return TwilioConfig.builder("oncall-phones").baseUri(twilio.baseUri()).account(SID, TOKEN).from(FROM)
                .recipients(recipients).timeout(Duration.ofSeconds(5));
    }

    /** A reason, a toString: never the token, the SID or a phone number. */
    static void assertShowsNoSecretOrNumber(String s) {
        assertThat(s).doesNotContain(TOKEN).doesNotContain(SID);
        for (String n : NUMBERS) {
            assertThat(s).doesNotContain(n);
        }
    }

    static String reason(SendOutcome o) {
        return switch (o) {
            case SendOutcome.Retry r -> r.reason();
            case SendOutcome.Rejected r -> r.reason();
            case SendOutcome.Delivered d -> "";
        };
    }

    @Test
    void sms_onePostPerRecipient_formEncodedWithBasicAuth_toMessagesJsonOfTheAccount() {
        TwilioSmsChannel sms = new TwilioSmsChannel(config(List.of(ONCALL, LEAD)).build());
        Message m = photoUploadP0("k-sms");

        SendOutcome outcome = sms.send(m, List.of("+44 7700 900456", ONCALL));

        assertThat(outcome).isEqualTo(new SendOutcome.Delivered(201));
        assertThat(twilio.requests).hasSize(3);
        String auth = "Basic " + Base64.getEncoder().encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
        for (FakeTwilio.Request r : twilio.requests) {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/2010-04-01/Accounts/" + SID + "/Messages.json");
            assertThat(r.contentType()).isEqualTo("application/x-www-form-urlencoded");
            assertThat(r.authorization()).isEqualTo(auth);
            assertThat(r.form().keySet()).containsExactly("To", "From", "Body");
            assertThat(r.form().get("From")).isEqualTo(FROM);
            assertThat(r.form().get("Body")).isEqualTo(TwilioSmsChannel.body(m));
        }
        assertThat(twilio.requests.stream().map(r -> r.form().get("To")))
                .containsExactlyInAnyOrder(ONCALL, LEAD, COORDINATOR);
        assertThat(TwilioSmsChannel.body(m)).isEqualTo("""
                [Vigil] P0 FIRING: photo upload, 3 active weddings
                p95 6.1 s > 5 s
                Weddings affected: 2
                Ack:\s""" + ACK_LINK);
    }

    @Test
    void sms_wrongToken_401_rejected() {
        TwilioSmsChannel sms = new TwilioSmsChannel(config(List.of(ONCALL)).account(SID, "not-the-token").build());

        SendOutcome outcome = sms.send(photoUploadP0("k-401"), List.of());

        assertThat(outcome).isEqualTo(new SendOutcome.Rejected("http 401 twilio error 20003", 401));
    }

    @Test
    void sms_invalidTo_400_21211_rejectedNamingTheCodeNotTheNumber() {
        twilio.answers.put(COORDINATOR, new FakeTwilio.Answer(400, "{\"code\":21211,\"message\":\"The 'To' number "
                + COORDINATOR + " is not a valid phone number.\",\"more_info\":"
                + "\"https://www.twilio.com/docs/errors/21211\",\"status\":400}", Map.of()));
        TwilioSmsChannel sms = new TwilioSmsChannel(config(List.of()).build());

        SendOutcome alone = sms.send(photoUploadP0("k-21211"), List.of(COORDINATOR));
        assertThat(alone).isEqualTo(new SendOutcome.Rejected("http 400 twilio error 21211", 400));

        TwilioSmsChannel withOncall = new TwilioSmsChannel(config(List.of(ONCALL)).build());
        SendOutcome some = withOncall.send(photoUploadP0("k-21211b"), List.of(COORDINATOR));
        assertThat(some).isEqualTo(new SendOutcome.Rejected("http 400 twilio error 21211 for 1 of 2 recipients",
                400));
        assertShowsNoSecretOrNumber(reason(alone));
        assertShowsNoSecretOrNumber(reason(some));
    }

    @Test
    void sms_429WithRetryAfter_retriedWithThatWait() {
        twilio.answers.put(ONCALL, new FakeTwilio.Answer(429, "{\"code\":20429,\"message\":\"Too Many Requests\","
                + "\"status\":429}", Map.of("Retry-After", "30")));
        TwilioSmsChannel sms = new TwilioSmsChannel(config(List.of(ONCALL)).build());

        SendOutcome outcome = sms.send(photoUploadP0("k-429"), List.of());

        assertThat(outcome).isEqualTo(new SendOutcome.Retry("http 429 twilio error 20429", 429,
                Duration.ofSeconds(30)));
    }

    @Test
    void sms_500_retried() {
        twilio.answers.put(ONCALL, new FakeTwilio.Answer(500, "<html>Internal Server Error</html>", Map.of()));
        TwilioSmsChannel sms = new TwilioSmsChannel(config(List.of(ONCALL)).build());

        assertThat(sms.send(photoUploadP0("k-500"), List.of())).isEqualTo(new SendOutcome.Retry("http 500", 500, null));
    }

    @Test
    void sms_noAnswerWithinTheTimeout_retried() {
        twilio.hang.put(ONCALL, true);
        TwilioSmsChannel sms = new TwilioSmsChannel(config(List.of(ONCALL)).timeout(Duration.ofMillis(300)).build());

        SendOutcome outcome = sms.send(photoUploadP0("k-timeout"), List.of());

        assertThat(outcome).isEqualTo(new SendOutcome.Retry("timeout after 300 ms", 0, null));
    }

    @Test
    void sms_partialFailure_retried_andTheRetryGoesOnlyToTheNumberThatFailed() {
        twilio.answers.put(LEAD, new FakeTwilio.Answer(503, "{\"code\":20503,\"message\":\"Service unavailable\","
                + "\"status\":503}", Map.of("Retry-After", "5")));
        TwilioSmsChannel sms = new TwilioSmsChannel(config(List.of(ONCALL, LEAD)).build());

        SendOutcome first = sms.send(photoUploadP0("k-partial"), List.of(COORDINATOR));

        assertThat(first).isEqualTo(new SendOutcome.Retry("http 503 twilio error 20503 for 1 of 3 recipients", 503,
                Duration.ofSeconds(5)));
        assertThat(twilio.requests).hasSize(3);

        twilio.answers.clear();
        SendOutcome retried = sms.send(photoUploadP0("k-partial"), List.of(COORDINATOR));

        assertThat(retried).isEqualTo(new SendOutcome.Delivered(201));
        assertThat(twilio.requests).hasSize(4);
        assertThat(twilio.requests.get(3).form().get("To")).isEqualTo(LEAD);

        // everyone has it now: sending the same key again sends nothing
        assertThat(sms.send(photoUploadP0("k-partial"), List.of(COORDINATOR))).isEqualTo(new SendOutcome.Delivered(201));
        assertThat(twilio.requests).hasSize(4);
    }

    @Test
    void sms_bodyOfAMessageWithManyAlerts_atMost1600Characters_ackLinkWhole() {
        Message big = manyAlerts("k-big", 40);
        assertThat(big.text().length()).isGreaterThan(5000);

        String body = TwilioSmsChannel.body(big);
        assertThat(body.length()).isLessThanOrEqualTo(1600);
        assertThat(body).startsWith("[Vigil] P1 FIRING: very long title").endsWith("\nAck: " + ACK_LINK);

        TwilioSmsChannel sms = new TwilioSmsChannel(config(List.of(ONCALL)).build());
        assertThat(sms.send(big, List.of())).isEqualTo(new SendOutcome.Delivered(201));
        assertThat(twilio.requests.getFirst().form().get("Body")).isEqualTo(body);
    }

    @Test
    void sms_numbersNotInE164_skipped_rejectedWhenNoneRemain() {
        TwilioSmsChannel sms = new TwilioSmsChannel(config(List.of()).build());

        SendOutcome none = sms.send(photoUploadP0("k-e164"), List.of("4155550100", "+0123456789", "call me",
                "+1234567"));

        assertThat(none).isEqualTo(new SendOutcome.Rejected("no valid recipient: 4 number(s) not in E.164 skipped", 0));
        assertThat(twilio.requests).isEmpty();

        SendOutcome one = sms.send(photoUploadP0("k-e164b"), List.of("7700900456", "+44 (0) 7700-900.456".replace(
                "(0) ", ""), "planner@w-jones.example"));
        assertThat(one).isEqualTo(new SendOutcome.Delivered(201));
        assertThat(twilio.requests).hasSize(1);
        assertThat(twilio.requests.getFirst().form().get("To")).isEqualTo(COORDINATOR);
    }

    @Test
    void voice_postsToCallsJson_withWellFormedTwiml_escapedTextSurvives() throws Exception {
        TwilioVoiceChannel voice = new TwilioVoiceChannel(config(List.of(ONCALL)).build());
        Message m = message("k-voice", "P0 FIRING: disk <&> \"quota\"", List.of(alert("disk", "used <&> 97% 'now'"),
                alert("disk2", "x")));

        SendOutcome outcome = voice.send(m, List.of());

        assertThat(outcome).isEqualTo(new SendOutcome.Delivered(201));
        FakeTwilio.Request r = twilio.requests.getFirst();
        assertThat(r.path()).isEqualTo("/2010-04-01/Accounts/" + SID + "/Calls.json");
        assertThat(r.form().keySet()).containsExactly("To", "From", "Twiml");
        assertThat(r.form().get("To")).isEqualTo(ONCALL);
        String twiml = r.form().get("Twiml");
        Document doc = parse(twiml);
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("Response");
        Element say = (Element) root.getElementsByTagName("Say").item(0);
        assertThat(say.getAttribute("loop")).isEqualTo("2");
        assertThat(say.getTextContent()).isEqualTo("Vigil alert. P0 FIRING: disk <&> \"quota\". used <&> 97% 'now'."
                + " And 1 more alert. 2 weddings affected. No key press is needed. Acknowledge with the link sent by"
                + " text message or email.");
        assertThat(twiml).doesNotContain(ACK_LINK);
    }

    @Test
    void voice_twimlOfAMessageWithManyAlerts_atMost4000Characters_andWellFormed() throws Exception {
        Message big = manyAlerts("k-voice-big", 40);
        Message escaped = message("k-esc", "P0 FIRING: " + "<&>".repeat(2000), List.of(alert("r", "s\u0001\uFFFF")));

        for (Message m : List.of(big, escaped)) {
            String twiml = TwilioVoiceChannel.twiml(m);
            assertThat(twiml.length()).isLessThanOrEqualTo(4000);
            String said = parse(twiml).getDocumentElement().getTextContent();
            assertThat(said).startsWith("Vigil alert. P").endsWith("sent by text message or email.");
        }
    }

    @Test
    void twilioErrorCodeReader_readsOnlyTheIntegerCode() {
        assertThat(TwilioSender.errorCode("{\"code\":21211,\"message\":\"The 'To' number " + COORDINATOR
                + " is not a valid phone number.\",\"status\":400}")).isEqualTo("twilio error 21211");
        assertThat(TwilioSender.errorCode("{\"code\":\"" + COORDINATOR + "\"}")).isNull();
        assertThat(TwilioSender.errorCode("{\"message\":\"no code\"}")).isNull();
        assertThat(TwilioSender.errorCode("<html>Bad Gateway</html>")).isNull();
        assertThat(TwilioSender.errorCode("[1,2]")).isNull();
    }

    @Test
    void configErrors_nameTheFieldNotTheValue() {
        assertThatThrownBy(() -> config(List.of(ONCALL, "0044 7700 900456")).build())
                .hasMessage("twilio channel 'oncall-phones': recipient 2 is not a phone number in E.164 (+ and 8-15"
                        + " digits)");
        assertThatThrownBy(() -> config(List.of()).from("4155550199").build())
                .hasMessageNotContaining("4155550199").hasMessageContaining("from");
        assertThatThrownBy(() -> config(List.of()).account("AC123", TOKEN).build())
                .hasMessageNotContaining(TOKEN).hasMessageContaining("accountSid");
        assertThatThrownBy(() -> config(List.of()).baseUri(URI.create("http://api.twilio.com")).build())
                .hasMessageContaining("https");
        assertThat(config(List.of()).baseUri(URI.create("https://api.twilio.com/")).build().baseUri())
                .isEqualTo(URI.create("https://api.twilio.com"));
    }

    @Test
    void toStringAndReasons_neverShowTheTokenTheSidOrNumbers() {
        TwilioConfig c = config(List.of(ONCALL, LEAD)).build();
        TwilioSmsChannel sms = new TwilioSmsChannel(c);
        TwilioVoiceChannel voice = new TwilioVoiceChannel(c);
        assertThat(sms.toString()).isEqualTo("TwilioSmsChannel[oncall-phones]");
        assertThat(voice.toString()).isEqualTo("TwilioVoiceChannel[oncall-phones]");
        assertThat(c.toString()).isEqualTo("TwilioConfig[oncall-phones]");

        twilio.answers.put(ONCALL, new FakeTwilio.Answer(400, "{\"code\":21610,\"message\":\"Attempt to send to "
                + "unsubscribed recipient " + ONCALL + "\",\"status\":400}", Map.of()));
        twilio.answers.put(LEAD, new FakeTwilio.Answer(429, "{\"message\":\"" + LEAD + " " + TOKEN + "\"}",
                Map.of()));
        List<String> shown = new ArrayList<>(List.of(sms.toString(), voice.toString(), c.toString()));
        shown.add(reason(sms.send(photoUploadP0("k-secret"), List.of(COORDINATOR, "bad 123"))));
        shown.add(reason(voice.send(photoUploadP0("k-secret"), List.of(COORDINATOR))));
        shown.add(reason(sms.send(photoUploadP0("k-secret2"), List.of())));
        assertThat(shown).allSatisfy(TwilioChannelsTest::assertShowsNoSecretOrNumber);
        assertThat(shown.get(3)).isEqualTo("http 429 for 1 of 3 recipients; http 400 twilio error 21610 for 1 of 3");
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
