package io.vigil.notify.channel;

import io.vigil.core.outbound.SendOutcome;
import io.vigil.notify.Message;
import java.util.List;

/**
 * One configured destination of notifications (a PagerDuty service, a Slack webhook, an SMTP server and its
 * addresses, a Twilio account and its numbers, a webhook receiver). Implementations are thread-safe; {@link #send}
 * blocks for at most the channel's timeout and never throws for an answer of the far side.
 */
public interface Channel {

    /** The kind as written in config: {@code pagerduty}, {@code slack}, {@code email}, {@code sms}, {@code voice}, {@code webhook}. */
    String type();

    /**
     * Sends one message.
     *
     * @param to extra recipients for this message (email addresses, phone numbers in E.164), added to the channel's
     *     configured ones; ignored by channels with a fixed endpoint
     */
    SendOutcome send(Message message, List<String> to);
}
