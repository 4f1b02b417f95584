package io.vigil.notify.config;

import io.vigil.notify.channel.Channel;
import io.vigil.notify.channel.EmailChannel;
import io.vigil.notify.channel.PagerDutyChannel;
import io.vigil.notify.channel.SlackChannel;
import io.vigil.notify.channel.TwilioConfig;
import io.vigil.notify.channel.TwilioSmsChannel;
import io.vigil.notify.channel.TwilioVoiceChannel;
import io.vigil.notify.channel.WebhookChannel;
import io.vigil.notify.config.NotificationsConfig.ReceiverConfig;
import io.vigil.notify.delivery.Receiver;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the configured receivers and their channels. A receiver whose secret or URL is missing from the
 * environment, or whose settings a channel refuses, is left out and reported (without the secret) rather than
 * stopping Vigil: the routes then use its fallback.
 *
 * @param receivers by name
 * @param problems one line per receiver left out, saying what to fix
 */
public record Receivers(Map<String, Receiver> receivers, List<String> problems) {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** The receivers of a config, secrets read from {@code env}. */
    public static Receivers build(NotificationsConfig config, Map<String, String> env, Clock clock, String source) {
        Map<String, Receiver> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ReceiverConfig r : config.receivers()) {
            try {
                out.put(r.name(), new Receiver(r.name(), channel(r, env, clock, source),
                        Boolean.TRUE.equals(r.coordinators())));
            } catch (IllegalArgumentException | NullPointerException e) {
                problems.add("receiver " + r.name() + " (" + r.type() + ") is left out: " + e.getMessage());
            }
        }
        return new Receivers(Map.copyOf(out), List.copyOf(problems));
    }

    private static Channel channel(ReceiverConfig r, Map<String, String> env, Clock clock, String source) {
        Duration timeout = r.timeout() == null ? DEFAULT_TIMEOUT : NotificationsConfig.timeout(r.timeout());
        String secret = r.secret(env);
        String url = r.url(env);
        return switch (r.type()) {
            case "pagerduty" -> new PagerDutyChannel(url == null ? PagerDutyChannel.DEFAULT_BASE : URI.create(url),
                    required(secret, r.secretEnv(), "the routing key"), source, timeout);
            case "slack" -> new SlackChannel(URI.create(required(url, r.urlEnv(), "the webhook URL")), r.channel(),
                    timeout);
            case "webhook" -> new WebhookChannel(URI.create(required(url, r.urlEnv(), "the URL")),
                    required(secret, r.secretEnv(), "the signing secret"), clock, timeout);
            case "email" -> {
                NotificationsConfig.Smtp smtp = r.smtp();
                EmailChannel.Security security = smtp.security() == null ? EmailChannel.Security.STARTTLS
                        : EmailChannel.Security.valueOf(smtp.security().toUpperCase(Locale.ROOT));
                EmailChannel.Config.Builder b = EmailChannel.Config.builder(r.name()).host(smtp.host())
                        .security(security).from(r.from()).recipients(r.to()).connectTimeout(timeout)
                        .readTimeout(timeout);
                if (smtp.port() != null) {
                    b.port(smtp.port());
                }
                if (smtp.username() != null) {
                    b.credentials(smtp.username(), required(secret, r.secretEnv(), "the SMTP password"));
                }
                yield new EmailChannel(b.build());
            }
            case "sms", "voice" -> {
                TwilioConfig.Builder b = TwilioConfig.builder(r.name())
                        .account(r.accountSid(), required(secret, r.secretEnv(), "the auth token"))
                        .from(r.from()).recipients(r.to()).timeout(timeout);
                if (url != null) {
                    b.baseUri(URI.create(url));
                }
                yield r.type().equals("sms") ? new TwilioSmsChannel(b.build()) : new TwilioVoiceChannel(b.build());
            }
            default -> throw new IllegalArgumentException("unknown type");
        };
    }

    private static String required(String value, String envName, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is missing" + (envName == null ? ""
                    : ": set the environment variable " + envName));
        }
        return value;
    }
}
