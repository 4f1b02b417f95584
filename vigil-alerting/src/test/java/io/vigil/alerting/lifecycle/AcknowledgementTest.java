package io.vigil.alerting.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Priority;
import io.vigil.alerting.lifecycle.AckLinks.Accepted;
import io.vigil.alerting.lifecycle.AckLinks.Reason;
import io.vigil.alerting.lifecycle.AckLinks.Refused;
import io.vigil.alerting.lifecycle.AckOutcome.Status;
import io.vigil.core.time.SettableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcknowledgementTest {
    static final Instant T0 = Instant.parse("2026-06-13T14:00:00Z");
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    final SettableClock clock = new SettableClock(T0);
    final AlertLifecycle lifecycle = new AlertLifecycle(LifecycleConfig.DEFAULTS, clock);
    final AckLinks links = new AckLinks(SECRET);
    final Obs down = Obs.rule("down").rated(Priority.P0, Impact.CRITICAL);

    @Test
    void acknowledgingByApi_recordsWhoWhenAndWhy_andWritesAnAcknowledgedIntent() {
        lifecycle.evaluate(List.of(down.breaching(T0)), T0);
        clock.set(T0.plusSeconds(45));

        AckOutcome outcome = lifecycle.acknowledge(AckTarget.alert(down.fingerprint()), "alice", "restarting pods");

        assertThat(outcome.status()).isEqualTo(Status.ACKNOWLEDGED);
        assertThat(outcome.intents()).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo(Kind.ACKNOWLEDGED);
            assertThat(i.at()).isEqualTo(T0.plusSeconds(45));
            assertThat(i.context()).containsEntry("acknowledged_by", "alice")
                    .containsEntry("ack_comment", "restarting pods").containsEntry("ack_via", "api");
            assertThat(i.idempotencyKey()).endsWith("|2|ACKNOWLEDGED");
        });
        assertThat(outcome.history()).singleElement().extracting(AlertHistoryEntry::event)
                .isEqualTo(AlertHistoryEntry.Event.ACKNOWLEDGED);
        AlertView view = lifecycle.alert(down.fingerprint()).orElseThrow();
        assertThat(view.acknowledgedBy()).isEqualTo("alice");
        assertThat(view.acknowledgedAt()).isEqualTo(T0.plusSeconds(45));
        assertThat(view.ackComment()).isEqualTo("restarting pods");
    }

    @Test
    void acknowledgementStatuses() {
        assertThat(lifecycle.acknowledge(AckTarget.alert("nope"), "a", "").status()).isEqualTo(Status.UNKNOWN);
        assertThat(lifecycle.acknowledge(AckTarget.group("{}"), "a", "").status()).isEqualTo(Status.UNKNOWN);
        Obs pending = Obs.rule("slow").pendingFor(Duration.ofMinutes(5));
        lifecycle.evaluate(List.of(down.breaching(T0), pending.breaching(T0)), T0);
        assertThat(lifecycle.acknowledge(AckTarget.alert(pending.fingerprint()), "a", "").status())
                .isEqualTo(Status.NOT_FIRING);
        assertThat(lifecycle.acknowledge(AckTarget.alert(down.fingerprint()), "a", "").status())
                .isEqualTo(Status.ACKNOWLEDGED);
        AckOutcome again = lifecycle.acknowledge(AckTarget.alert(down.fingerprint()), "b", "");
        assertThat(again.status()).isEqualTo(Status.ALREADY_ACKNOWLEDGED);
        assertThat(again.intents()).isEmpty();
        assertThat(lifecycle.alert(down.fingerprint()).orElseThrow().acknowledgedBy()).isEqualTo("a");
    }

    @Test
    void acknowledgingAGroup_acknowledgesAllItsFiringAlerts_inOneIntent() {
        Obs a = Obs.rule("down").labels("wedding_id", "w-1", "route", "/a").rated(Priority.P0, Impact.CRITICAL);
        Obs b = Obs.rule("down").labels("wedding_id", "w-1", "route", "/b").rated(Priority.P0, Impact.CRITICAL);
        List<NotificationIntent> fired = lifecycle.evaluate(List.of(a.breaching(T0), b.breaching(T0)), T0)
                .intents();

        AckOutcome outcome = lifecycle.acknowledge(AckTarget.group(fired.get(0).groupKey()), "bob", "");

        assertThat(outcome.intents()).singleElement().satisfies(i -> assertThat(i.alerts()).hasSize(2));
        assertThat(lifecycle.alerts()).allSatisfy(v -> assertThat(v.acknowledgedBy()).isEqualTo("bob"));
    }

    @Test
    void anAcknowledgementEndsWithTheAlert_aRefiredAlertNeedsAFreshOne() {
        lifecycle.evaluate(List.of(down.breaching(T0)), T0);
        lifecycle.acknowledge(AckTarget.alert(down.fingerprint()), "a", "");
        lifecycle.evaluate(List.of(down.clear(T0.plusSeconds(60))), T0.plusSeconds(60));
        lifecycle.evaluate(List.of(down.breaching(T0.plusSeconds(120))), T0.plusSeconds(120));
        assertThat(lifecycle.alert(down.fingerprint()).orElseThrow().acknowledgedBy()).isNull();
        assertThat(lifecycle.evaluate(List.of(down.breaching(T0.plusSeconds(240))), T0.plusSeconds(240)).intents())
                .extracting(NotificationIntent::kind).containsExactly(Kind.ESCALATED);
    }

    @Test
    void aSignedLinkVerifies_andAcknowledgesInTheNameOfItsRecipient() {
        lifecycle.evaluate(List.of(down.breaching(T0)), T0);
        String token = links.sign(AckTarget.alert(down.fingerprint()), "oncall-alice", T0.plus(Duration.ofHours(1)));

        AckLinks.Verification verification = links.verify(token, T0.plusSeconds(60));

        assertThat(verification).isInstanceOf(Accepted.class);
        Accepted accepted = (Accepted) verification;
        assertThat(accepted.target()).isEqualTo(AckTarget.alert(down.fingerprint()));
        AckOutcome outcome = lifecycle.acknowledge(accepted, T0.plusSeconds(60));
        assertThat(outcome.status()).isEqualTo(Status.ACKNOWLEDGED);
        assertThat(outcome.intents()).singleElement()
                .satisfies(i -> assertThat(i.context()).containsEntry("ack_via", "link")
                        .containsEntry("acknowledged_by", "oncall-alice"));
    }

    @Test
    void aGroupLinkAcknowledgesTheGroup() {
        NotificationIntent fired = lifecycle.evaluate(List.of(down.breaching(T0)), T0).intents().get(0);
        String token = links.sign(AckTarget.group(fired.groupKey()), "", T0.plusSeconds(600));
        Accepted accepted = (Accepted) links.verify(token, T0.plusSeconds(1));
        assertThat(lifecycle.acknowledge(accepted, T0.plusSeconds(1)).status()).isEqualTo(Status.ACKNOWLEDGED);
        assertThat(lifecycle.alert(down.fingerprint()).orElseThrow().acknowledgedBy()).isEqualTo("ack link");
    }

    @Test
    void anExpiredLinkIsRefused_atItsExpiryExactly() {
        String token = links.sign(AckTarget.alert("f"), "", T0.plusSeconds(600));
        assertThat(links.verify(token, T0.plusSeconds(599))).isInstanceOf(Accepted.class);
        assertThat(links.verify(token, T0.plusSeconds(600))).isEqualTo(new Refused(Reason.EXPIRED));
    }

    @Test
    void aTamperedLinkIsRefused() {
        String token = links.sign(AckTarget.alert("aaaa"), "alice", T0.plusSeconds(600));
        int dot = token.indexOf('.');
        Base64.Decoder dec = Base64.getUrlDecoder();
        Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();

        // Another alert, signed with the original signature.
        byte[] payload = dec.decode(token.substring(0, dot));
        String forged = new String(payload, StandardCharsets.ISO_8859_1).replace("aaaa", "bbbb");
        String otherTarget = enc.encodeToString(forged.getBytes(StandardCharsets.ISO_8859_1)) + token.substring(dot);
        assertThat(links.verify(otherTarget, T0)).isEqualTo(new Refused(Reason.BAD_SIGNATURE));

        // A later expiry, signed with the original signature.
        payload[payload.length - 1] ^= 0x7f;
        assertThat(links.verify(enc.encodeToString(payload) + token.substring(dot), T0))
                .isEqualTo(new Refused(Reason.BAD_SIGNATURE));

        // A flipped bit in the signature.
        byte[] signature = dec.decode(token.substring(dot + 1));
        signature[0] ^= 1;
        assertThat(links.verify(token.substring(0, dot + 1) + enc.encodeToString(signature), T0))
                .isEqualTo(new Refused(Reason.BAD_SIGNATURE));

        // Signed with another secret.
        AckLinks other = new AckLinks("another secret of at least 32 bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(other.verify(token, T0)).isEqualTo(new Refused(Reason.BAD_SIGNATURE));
    }

    @Test
    void malformedTokensAreRefused() {
        assertThat(links.verify(null, T0)).isEqualTo(new Refused(Reason.MALFORMED));
        assertThat(links.verify("", T0)).isEqualTo(new Refused(Reason.MALFORMED));
        assertThat(links.verify("abc", T0)).isEqualTo(new Refused(Reason.MALFORMED));
        assertThat(links.verify("a.b.c", T0)).isEqualTo(new Refused(Reason.MALFORMED));
        assertThat(links.verify("!!!.???", T0)).isEqualTo(new Refused(Reason.MALFORMED));
        assertThat(links.verify("YWJj.YWJj", T0)).isEqualTo(new Refused(Reason.BAD_SIGNATURE));
        assertThatThrownBy(() -> new AckLinks(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
