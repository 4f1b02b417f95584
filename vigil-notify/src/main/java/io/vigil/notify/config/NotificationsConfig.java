package io.vigil.notify.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.vigil.notify.routing.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code notifications} section of the config file (docs/notifications.md): the receivers (each a channel and
 * its settings; secrets given directly or, better, by the name of an environment variable), the routes (default:
 * the SPEC's routing by impact), and the public URL that acknowledgement links point to.
 *
 * @param publicUrl the URL Vigil is reached at from a phone or a browser, for acknowledgement links; default none
 *     (messages then carry no link)
 * @param receivers the receivers
 * @param routes the routing tree; null for the default
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record NotificationsConfig(String publicUrl, List<ReceiverConfig> receivers, List<Route> routes) {
    public static final NotificationsConfig NONE = new NotificationsConfig(null, List.of(), null);

    public NotificationsConfig {
        receivers = receivers == null ? List.of() : List.copyOf(receivers);
    }

    /**
     * One receiver.
     *
     * @param name as the routes name it
     * @param type {@code pagerduty}, {@code slack}, {@code email}, {@code sms}, {@code voice} or {@code webhook}
     * @param url the endpoint: PagerDuty's or Twilio's base URL (default the vendor's), the Slack webhook or the
     *     webhook receiver URL (secret for Slack: prefer {@code urlEnv})
     * @param urlEnv the environment variable holding {@code url}
     * @param secretEnv the environment variable holding the secret: PagerDuty's routing key, the webhook's signing
     *     secret, the SMTP password, Twilio's auth token
     * @param secret the secret itself (discouraged: config files get copied)
     * @param channel a display name such as {@code #wedding-emergency} (Slack)
     * @param accountSid Twilio's account SID
     * @param from the sender: email address, or phone number in E.164
     * @param to fixed recipients: email addresses or phone numbers in E.164
     * @param coordinators whether each message also goes to the coordinators of the weddings it affects
     * @param smtp the SMTP server (email)
     * @param timeout per send, default {@code 10s}
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record ReceiverConfig(String name, String type, String url, String urlEnv, String secretEnv, String secret,
                                 String channel, String accountSid, String from, List<String> to,
                                 Boolean coordinators, Smtp smtp, String timeout) {
        public ReceiverConfig {
            to = to == null ? List.of() : List.copyOf(to);
        }

        /** The secret from the environment or the config, null when neither gives one. */
        public String secret(Map<String, String> env) {
            return secretEnv != null ? env.get(secretEnv) : secret;
        }

        /** The URL from the environment or the config, null when neither gives one. */
        public String url(Map<String, String> env) {
            return urlEnv != null ? env.get(urlEnv) : url;
        }

        @Override
        public String toString() {
            return "ReceiverConfig{" + name + ", " + type + "}";
        }
    }

    /**
     * @param host the SMTP server
     * @param port default 587 ({@code starttls}), 465 ({@code tls}) or 25 ({@code none})
     * @param security {@code starttls} (default), {@code tls} or {@code none}
     * @param username for SMTP authentication; the password is the receiver's secret
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Smtp(String host, Integer port, String security, String username) {}

    static final Set<String> TYPES = Set.of("pagerduty", "slack", "email", "sms", "voice", "webhook");
    private static final java.util.regex.Pattern TIMEOUT = java.util.regex.Pattern.compile("(\\d{1,6})(ms|s|m)");

    /**
     * A receiver's timeout as written: {@code 500ms}, {@code 10s}, {@code 1m}; from 100 ms to 5 minutes.
     *
     * @throws IllegalArgumentException saying what is allowed
     */
    static Duration timeout(String text) {
        java.util.regex.Matcher m = TIMEOUT.matcher(text.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
            if (d.compareTo(Duration.ofMillis(100)) >= 0 && d.compareTo(Duration.ofMinutes(5)) <= 0) {
                return d;
            }
        }
        throw new IllegalArgumentException("timeout was '" + text + "' but must be like 500ms, 10s or 1m, from 100ms"
                + " to 5m");
    }

    /** What is wrong with the section, each problem with its path; empty when it is valid. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (publicUrl != null && !publicUrl.matches("(?i)https?://[^\\s]+")) {
            out.add("notifications.publicUrl must be an http:// or https:// URL");
        }
        for (int i = 0; i < receivers.size(); i++) {
            ReceiverConfig r = receivers.get(i);
            String at = "notifications.receivers[" + i + "]";
            if (r.name() == null || !r.name().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
                out.add(at + ".name must be 1-63 letters, digits, '.', '_' or '-'");
            } else if (!names.add(r.name())) {
                out.add(at + ".name '" + r.name() + "' is used twice");
            }
            if (r.type() == null || !TYPES.contains(r.type())) {
                out.add(at + ".type must be one of pagerduty, slack, email, sms, voice, webhook");
                continue;
            }
            if (r.timeout() != null) {
                try {
                    timeout(r.timeout());
                } catch (IllegalArgumentException e) {
                    out.add(at + "." + e.getMessage());
                }
            }
            if (r.smtp() != null && r.smtp().security() != null
                    && !Set.of("none", "starttls", "tls").contains(r.smtp().security())) {
                out.add(at + ".smtp.security must be none, starttls or tls");
            }
            if (r.url() != null && r.urlEnv() != null) {
                out.add(at + " has both url and urlEnv; give one");
            }
            if (r.secret() != null && r.secretEnv() != null) {
                out.add(at + " has both secret and secretEnv; give one");
            }
            switch (r.type()) {
                case "slack", "webhook" -> {
                    if (r.url() == null && r.urlEnv() == null) {
                        out.add(at + " (" + r.type() + ") needs url or urlEnv");
                    }
                    if (r.type().equals("webhook") && r.secret() == null && r.secretEnv() == null) {
                        out.add(at + " (webhook) needs secretEnv: the signing secret");
                    }
                }
                case "pagerduty" -> {
                    if (r.secret() == null && r.secretEnv() == null) {
                        out.add(at + " (pagerduty) needs secretEnv: the integration's routing key");
                    }
                }
                case "email" -> {
                    if (r.smtp() == null || r.smtp().host() == null) {
                        out.add(at + " (email) needs smtp.host");
                    }
                    if (r.from() == null) {
                        out.add(at + " (email) needs from");
                    }
                }
                case "sms", "voice" -> {
                    if (r.accountSid() == null || (r.secret() == null && r.secretEnv() == null) || r.from() == null) {
                        out.add(at + " (" + r.type() + ") needs accountSid, secretEnv (the auth token) and from");
                    }
                }
                default -> { }
            }
            if (r.to().isEmpty() && !Boolean.TRUE.equals(r.coordinators())
                    && List.of("email", "sms", "voice").contains(r.type())) {
                out.add(at + " (" + r.type() + ") needs recipients: to, or coordinators: true");
            }
        }
        return out;
    }
}
