package io.vigil.notify.channel;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The settings of a Twilio SMS or voice channel: the API's base URI, the account SID and auth token (HTTP basic
 * auth), the number to send from and the numbers that always get the channel's messages, all in E.164. Holds a
 * secret and phone numbers: {@link #toString()} shows the name only, and validation errors name the field, never its
 * value.
 */
public final class TwilioConfig {
    /** Twilio's API. */
    public static final URI DEFAULT_BASE_URI = URI.create("https://api.twilio.com");
    /** {@code +}, a digit 1-9, then 7 to 14 digits: 8 to 15 digits in all (E.164). */
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");
    /** Twilio account SIDs: {@code AC} and 32 hex digits. */
    private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");

    private final String name;
    private final URI baseUri;
    private final String accountSid;
    private final String authToken;
    private final String from;
    private final List<String> recipients;
    private final Duration timeout;

    private TwilioConfig(Builder b) {
        String where = "twilio channel '" + b.name + "': ";
        this.baseUri = baseUri(where, b.baseUri);
        if (b.accountSid == null || !ACCOUNT_SID.matcher(b.accountSid).matches()) {
            throw new IllegalArgumentException(where + "accountSid must be AC followed by 32 hex digits");
        }
        if (b.authToken == null || b.authToken.isBlank() || b.authToken.chars().anyMatch(c -> c <= 0x20)) {
            throw new IllegalArgumentException(where + "authToken is required (no spaces)");
        }
        String f = e164(b.from);
        if (f == null) {
            throw new IllegalArgumentException(where + "from is not a phone number in E.164 (+ and 8-15 digits)");
        }
        List<String> rs = new ArrayList<>();
        for (int i = 0; i < b.recipients.size(); i++) {
            String n = e164(b.recipients.get(i));
            if (n == null) {
                throw new IllegalArgumentException(where + "recipient " + (i + 1)
                        + " is not a phone number in E.164 (+ and 8-15 digits)");
            }
            if (!rs.contains(n)) {
                rs.add(n);
            }
        }
        if (b.timeout == null || b.timeout.isZero() || b.timeout.isNegative()) {
            throw new IllegalArgumentException(where + "timeout must be positive");
        }
        this.name = b.name;
        this.accountSid = b.accountSid;
        this.authToken = b.authToken;
        this.from = f;
        this.recipients = List.copyOf(rs);
        this.timeout = b.timeout;
    }

    /** https, or http to a loopback address only (tests, a local relay): the auth token must not cross a network in clear. */
    private static URI baseUri(String where, URI uri) {
        if (uri == null || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(where + "baseUri must be an absolute http(s) URI without query");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http")) {
            if (!loopback(uri.getHost())) {
                throw new IllegalArgumentException(where + "baseUri must be https (http only to a loopback address)");
            }
        } else if (!scheme.equals("https")) {
            throw new IllegalArgumentException(where + "baseUri must be https");
        }
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    private static boolean loopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: not resolved here
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * A phone number in E.164, spaces, dashes, dots and parentheses removed ({@code +44 20 7946-0958} is
     * {@code +442079460958}); null when it is not one.
     */
    static String e164(String number) {
        if (number == null) {
            return null;
        }
        String n = number.strip().replaceAll("[\\s().-]", "");
        return E164.matcher(n).matches() ? n : null;
    }

    /** @param name the channel's name in config, shown in logs (not a secret) */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    URI baseUri() {
        return baseUri;
    }

    String accountSid() {
        return accountSid;
    }

    String authToken() {
        return authToken;
    }

    String from() {
        return from;
    }

    List<String> recipients() {
        return recipients;
    }

    public Duration timeout() {
        return timeout;
    }

    /** The number of configured recipients (the numbers themselves stay inside). */
    public int recipientCount() {
        return recipients.size();
    }

    @Override
    public String toString() {
        return "TwilioConfig[" + name + "]";
    }

    /** Builds a {@link TwilioConfig}; see the setters for the defaults. */
    public static final class Builder {
        private final String name;
        private URI baseUri = DEFAULT_BASE_URI;
        private String accountSid;
        private String authToken;
        private String from;
        private List<String> recipients = List.of();
        private Duration timeout = Duration.ofSeconds(10);

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a twilio channel needs a name");
            }
            this.name = name;
        }

        /** Default {@link #DEFAULT_BASE_URI}; tests point it at a local server. */
        public Builder baseUri(URI baseUri) {
            this.baseUri = baseUri;
            return this;
        }

        /** The account SID ({@code AC...}) and its auth token (a secret), sent as HTTP basic auth. */
        public Builder account(String accountSid, String authToken) {
            this.accountSid = accountSid;
            this.authToken = authToken;
            return this;
        }

        /** The Twilio number the messages and calls come from (E.164). */
        public Builder from(String from) {
            this.from = from;
            return this;
        }

        /** The numbers that always get the channel's messages (E.164; on-call, team leads); may be empty. */
        public Builder recipients(List<String> recipients) {
            this.recipients = List.copyOf(recipients);
            return this;
        }

        /** For connecting and for each answer; default 10 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public TwilioConfig build() {
            return new TwilioConfig(this);
        }
    }
}
