package io.vigil.notify.channel;

import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Severity;
import io.vigil.notify.Message;
import io.vigil.notify.Message.AlertLine;
import io.vigil.notify.Message.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Messages for the email, SMS and voice channel tests. */
final class MailSmsTestMessages {
    static final Instant AT = Instant.parse("2026-06-13T18:00:00Z");
    static final String ACK_LINK = "https://vigil.example/api/v1/ack?g=photo-upload&t=abc123";

    private MailSmsTestMessages() {}

    static AlertLine alert(String ruleId, String summary) {
        return new AlertLine(ruleId, Severity.CRITICAL, Map.of("route", "/photos"), summary,
                "2 active weddings use photo upload; " + summary, AT.minusSeconds(90));
    }

    static Context context(String... affectedWeddings) {
        return new Context(true, true, 3, 1, 1.8, List.of(affectedWeddings));
    }

    /** A P0 FIRING message about photo upload during two weddings. */
    static Message photoUploadP0(String key) {
        return message(key, "P0 FIRING: photo upload, 3 active weddings",
                List.of(alert("photo_upload_p95", "p95 6.1 s > 5 s")));
    }

    static Message message(String key, String title, List<AlertLine> alerts) {
        return new Message(key, "group-photo-upload", Kind.FIRING, Priority.P0, Impact.CRITICAL, title, alerts,
                context("w-2026-0613-smith", "w-2026-0613-jones"), ACK_LINK, AT);
    }

    /** A message with {@code n} alerts with long summaries (bigger than an SMS or a TwiML parameter allows). */
    static Message manyAlerts(String key, int n) {
        List<AlertLine> alerts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            alerts.add(alert("rule_" + i, "p95 " + i + " s > 5 s " + "x".repeat(120)));
        }
        return new Message(key, "group-many", Kind.FIRING, Priority.P1, Impact.CRITICAL,
                "P1 FIRING: " + "very long title ".repeat(150), alerts, context("w-1", "w-2", "w-3"), ACK_LINK, AT);
    }
}
