package io.vigil.notify.channel;

import io.vigil.alerting.Priority;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.notify.Message;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.eclipse.angus.mail.util.MailConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Email over SMTP (Angus Mail): one message per send to the configured recipients and the message's extra ones
 * (e.g. the coordinators of the affected weddings). With more than one recipient they are all blind copies and the
 * visible {@code To} is {@code undisclosed-recipients:;}, so that nobody sees another recipient's address.
 *
 * <p>The message is {@code multipart/alternative}: {@link Message#text()} as text/plain and the same content as
 * HTML (escaped, the acknowledgement link as a link). Its {@code Message-ID} is derived from {@link Message#key()},
 * so a retried send of the same key carries the same id (mail clients recognise the duplicate), and
 * {@code X-Vigil-Key} carries the key itself.
 *
 * <p>Outcomes: the server accepted the message, 250 delivered; a 4xx reply, a connection failure, a timeout or a
 * TLS failure, retried; a 5xx reply (550 mailbox unavailable, 535 authentication failed, 554 rejected...) or a
 * STARTTLS server that does not offer STARTTLS, rejected. When the server accepts some recipients and refuses others
 * the message goes to the accepted ones (that is {@code mail.smtp.sendpartial}); the outcome is then retried if a
 * refusal may pass (4xx), else rejected, and a retried send of the same key goes only to the recipients that have
 * not got it yet (remembered by this channel while the process runs). Reasons give SMTP codes and counts, never an
 * address or the server's reply text (which often quotes the address).
 *
 * <p>Each step of the SMTP exchange waits at most the read timeout, connecting at most the connect timeout.
 */
public final class EmailChannel implements Channel {
    private static final Logger log = LoggerFactory.getLogger(EmailChannel.class);
    /** The status of a delivered message: SMTP's 250. */
    static final int DELIVERED = 250;
    private static final InternetAddress UNDISCLOSED;

    static {
        try {
            UNDISCLOSED = new InternetAddress("undisclosed-recipients:;");
        } catch (AddressException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Config config;
    private final Session session;
    private final InternetAddress from;
    private final List<InternetAddress> recipients;
    private final FanOut fanOut = new FanOut();

    public EmailChannel(Config config) {
        this.config = Objects.requireNonNull(config, "config");
        this.from = config.fromAddress;
        this.recipients = config.recipientAddresses;
        this.session = Session.getInstance(properties(config));
        if (config.username != null && config.security == Security.NONE) {
            log.warn("email channel {}: the SMTP password is sent without TLS (security: none)", config.name);
        }
    }

    @Override
    public String type() {
        return "email";
    }

    @Override
    public SendOutcome send(Message message, List<String> to) {
        Map<String, InternetAddress> all = new LinkedHashMap<>();
        for (InternetAddress a : recipients) {
            all.putIfAbsent(normal(a), a);
        }
        int invalid = 0;
        for (String s : to == null ? List.<String>of() : to) {
            InternetAddress a = parse(s);
            if (a == null) {
                invalid++;
            } else {
                all.putIfAbsent(normal(a), a);
            }
        }
        if (invalid > 0) {
            log.warn("email channel {}: skipped {} recipient(s) of message {} that are not valid email addresses",
                    config.name, invalid, message.key());
        }
        if (all.isEmpty()) {
            return new SendOutcome.Rejected(invalid > 0
                    ? "no valid recipient: " + invalid + " invalid email address(es) skipped"
                    : "no recipients", 0);
        }
        Set<String> done = fanOut.alreadySent(message.key());
        List<InternetAddress> pending = new ArrayList<>();
        all.forEach((k, a) -> {
            if (!done.contains(k)) {
                pending.add(a);
            }
        });
        if (pending.isEmpty()) {
            return new SendOutcome.Delivered(DELIVERED);
        }
        MimeMessage mime;
        try {
            mime = mime(message, pending);
        } catch (MessagingException e) {
            log.warn("email channel {}: message {} could not be built ({})", config.name, message.key(),
                    e.getClass().getSimpleName());
            return new SendOutcome.Rejected("message could not be built", 0);
        }
        return transmit(message.key(), mime, pending);
    }

    /** Connects, sends to {@code pending}, remembers who got it, and classifies any failure. */
    private SendOutcome transmit(String key, MimeMessage mime, List<InternetAddress> pending) {
        Transport transport;
        try {
            transport = session.getTransport("smtp");
        } catch (MessagingException e) {
            return new SendOutcome.Rejected("no smtp transport", 0);
        }
        try {
            transport.connect(config.host, config.port, config.username, config.password);
            transport.sendMessage(mime, pending.toArray(new Address[0]));
            fanOut.sent(key, pending.stream().map(EmailChannel::normal).toList());
            return new SendOutcome.Delivered(DELIVERED);
        } catch (SendFailedException e) {
            return partial(key, e, pending, lastCode(transport));
        } catch (MessagingException e) {
            return failure(e, lastCode(transport));
        } catch (RuntimeException e) {
            log.warn("email channel {}: smtp client failed ({})", config.name, e.getClass().getSimpleName());
            return new SendOutcome.Retry("smtp client error (" + e.getClass().getSimpleName() + ")", 0, null);
        } finally {
            try {
                transport.close();
            } catch (MessagingException | RuntimeException e) {
                // the message was sent or not; closing does not change that
            }
        }
    }

    /**
     * A send that failed for some or all recipients: who got it (remembered), and for the others the code of their
     * refusal, or of the command that failed.
     */
    private SendOutcome partial(String key, SendFailedException e, List<InternetAddress> pending, int lastCode) {
        if (e.getInvalidAddresses() == null && e.getValidSentAddresses() == null
                && e.getValidUnsentAddresses() == null && !(e instanceof SMTPSendFailedException)) {
            return failure(e, lastCode); // thrown before any address was tried
        }
        Set<String> sent = new HashSet<>();
        if (e.getValidSentAddresses() != null) {
            for (Address a : e.getValidSentAddresses()) {
                sent.add(normal(a));
            }
        }
        fanOut.sent(key, sent);
        Map<String, Integer> refusals = new HashMap<>();
        for (Exception x = e; x != null; x = x instanceof MessagingException m ? m.getNextException() : null) {
            if (x instanceof SMTPAddressFailedException af && af.getAddress() != null) {
                // RFC 5321 4.5.3.1.10: 552 to RCPT is a temporary failure, as 452
                refusals.putIfAbsent(normal(af.getAddress()), af.getReturnCode() == 552 ? 452 : af.getReturnCode());
            }
        }
        int commandCode = e instanceof SMTPSendFailedException sf ? sf.getReturnCode() : lastCode;
        List<SendOutcome> outcomes = new ArrayList<>();
        for (InternetAddress a : pending) {
            String k = normal(a);
            if (sent.contains(k)) {
                outcomes.add(new SendOutcome.Delivered(DELIVERED));
            } else {
                Integer code = refusals.get(k);
                SendOutcome o = code != null ? smtp(code) : smtp(commandCode);
                outcomes.add(o != null ? o : new SendOutcome.Retry("smtp error", commandCode, null));
            }
        }
        return FanOut.combine(outcomes);
    }

    /** A failure of the whole exchange: the network, TLS, authentication, or a reply code. */
    private SendOutcome failure(MessagingException e, int lastCode) {
        java.io.IOException io = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return e instanceof MailConnectException
                        ? new SendOutcome.Retry("connect timeout after " + config.connectTimeout.toMillis() + " ms", 0,
                                null)
                        : new SendOutcome.Retry("timeout after " + config.readTimeout.toMillis() + " ms", 0, null);
            }
            if (t instanceof ConnectException) {
                return new SendOutcome.Retry("connection refused", 0, null);
            }
            if (t instanceof UnknownHostException) {
                return new SendOutcome.Retry("unknown smtp host", 0, null);
            }
            if (t instanceof SSLException) {
                return new SendOutcome.Retry("tls failed (" + t.getClass().getSimpleName() + ")", 0, null);
            }
            if (io == null && t instanceof java.io.IOException x) {
                io = x;
            }
        }
        if (io != null) {
            return new SendOutcome.Retry("network error (" + io.getClass().getSimpleName() + ")", 0, null);
        }
        if (e instanceof AuthenticationFailedException) {
            SendOutcome o = smtp(lastCode);
            return o != null ? o : new SendOutcome.Rejected("authentication failed", 0);
        }
        int code = e instanceof SMTPSendFailedException sf ? sf.getReturnCode() : lastCode;
        SendOutcome o = smtp(code);
        if (o != null) {
            return o;
        }
        String text = e.getMessage();
        if (config.security == Security.STARTTLS && text != null && text.startsWith("STARTTLS is required")) {
            return new SendOutcome.Rejected("server does not offer STARTTLS", 0);
        }
        return new SendOutcome.Retry("smtp error", code > 0 ? code : 0, null);
    }

    /** A failure reply: 4xx retried, 5xx rejected; null for anything else. */
    static SendOutcome smtp(int code) {
        String reason = "smtp " + code + meaning(code);
        if (code >= 400 && code < 500) {
            return new SendOutcome.Retry(reason, code, null);
        }
        if (code >= 500 && code < 600) {
            return new SendOutcome.Rejected(reason, code);
        }
        return null;
    }

    private static String meaning(int code) {
        return switch (code) {
            case 421 -> " service not available";
            case 450 -> " mailbox unavailable";
            case 451 -> " local error";
            case 452 -> " insufficient storage";
            case 454 -> " temporary authentication failure";
            case 500, 501, 502, 503, 504 -> " command refused";
            case 530 -> " authentication required";
            case 534, 535 -> " authentication failed";
            case 550 -> " mailbox unavailable";
            case 551 -> " user not local";
            case 552 -> " storage exceeded";
            case 553 -> " mailbox name not allowed";
            case 554 -> " transaction failed";
            default -> "";
        };
    }

    private static int lastCode(Transport transport) {
        return transport instanceof SMTPTransport t ? t.getLastReturnCode() : 0;
    }

    /** The MIME message for these recipients. */
    private MimeMessage mime(Message message, List<InternetAddress> to) throws MessagingException {
        String messageId = messageId(message.key(), from);
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom(from);
        if (to.size() == 1) {
            m.setRecipient(jakarta.mail.Message.RecipientType.TO, to.getFirst());
        } else {
            m.setRecipient(jakarta.mail.Message.RecipientType.TO, UNDISCLOSED);
            // not written to the wire (Angus leaves Bcc out of what it sends); the envelope carries the recipients
            m.setRecipients(jakarta.mail.Message.RecipientType.BCC, to.toArray(new Address[0]));
        }
        m.setSubject(subject(message.title()), "UTF-8");
        m.setSentDate(new Date());
        m.setHeader("X-Vigil-Key", header("X-Vigil-Key", message.key()));
        m.setHeader("Auto-Submitted", "auto-generated");
        if (message.priority() == Priority.P0 || message.priority() == Priority.P1) {
            m.setHeader("X-Priority", message.priority() == Priority.P0 ? "1 (Highest)" : "2 (High)");
            m.setHeader("Importance", "high");
        }
        MimeBodyPart text = new MimeBodyPart();
        text.setText(message.text(), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(html(message), "UTF-8", "html");
        MimeMultipart alternative = new MimeMultipart("alternative", text, html);
        m.setContent(alternative);
        m.saveChanges();
        return m;
    }

    /** The subject: the title on one line (CR, LF and other control characters would start a new header). */
    static String subject(String title) {
        String s = title.replaceAll("[\\p{Cntrl}\\u0085\\u2028\\u2029]+", " ").strip();
        return s.isEmpty() ? "Vigil notification" : s;
    }

    /** {@code <hash-of-key.vigil@from-domain>}: the same for every send of a key, different across keys. */
    static String messageId(String key, InternetAddress from) {
        String address = from.getAddress();
        String domain = address.substring(address.lastIndexOf('@') + 1);
        return "<" + sha256(key).substring(0, 40) + ".vigil@" + domain + ">";
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A header value on one line, RFC 2047-encoded when not ASCII, folded. */
    private static String header(String name, String value) {
        String clean = subject(value);
        try {
            return MimeUtility.fold(name.length() + 2, MimeUtility.encodeText(clean, "UTF-8", null));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The HTML part: {@link Message#text()} escaped, the title in bold, the acknowledgement link as a link (only an
     * http or https one; anything else is shown as text).
     */
    static String html(Message message) {
        String text = message.text();
        String ack = message.ackLink();
        String ackLine = ack == null ? null : "Acknowledge: " + ack + "\n";
        boolean link = ackLine != null && text.endsWith(ackLine);
        String body = link ? text.substring(0, text.length() - ackLine.length()) : text;
        int nl = body.indexOf('\n');
        String title = nl < 0 ? body : body.substring(0, nl);
        String rest = nl < 0 ? "" : body.substring(nl + 1).stripTrailing();
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"UTF-8\"><title>")
                .append(escape(subject(title))).append("</title></head>\n<body>\n<p><strong>")
                .append(escape(title)).append("</strong></p>\n");
        if (!rest.isEmpty()) {
            b.append("<pre style=\"font-family:inherit;white-space:pre-wrap\">").append(escape(rest))
                    .append("</pre>\n");
        }
        if (link) {
            String lower = ack.toLowerCase(Locale.ROOT);
            if (lower.startsWith("https://") || lower.startsWith("http://")) {
                b.append("<p><a href=\"").append(escape(ack)).append("\">Acknowledge</a></p>\n");
            } else {
                b.append("<p>Acknowledge: ").append(escape(ack)).append("</p>\n");
            }
        }
        return b.append("</body></html>\n").toString();
    }

    /** HTML-escapes text for an element or a quoted attribute. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** An address as written in config or in a message's recipients, or null when it is not one valid address. */
    static InternetAddress parse(String s) {
        if (s == null || s.isBlank() || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return null;
        }
        try {
            InternetAddress a = new InternetAddress(s.strip(), true);
            if (a.isGroup()) {
                return null;
            }
            a.validate();
            return a;
        } catch (AddressException e) {
            return null;
        }
    }

    /** Addresses compared without case (the same person listed twice, as on-call and as coordinator). */
    private static String normal(Address a) {
        return a instanceof InternetAddress ia ? ia.getAddress().toLowerCase(Locale.ROOT)
                : a.toString().toLowerCase(Locale.ROOT);
    }

    private static Properties properties(Config c) {
        Properties p = new Properties();
        p.setProperty("mail.transport.protocol", "smtp");
        p.setProperty("mail.smtp.host", c.host);
        p.setProperty("mail.smtp.port", Integer.toString(c.port));
        p.setProperty("mail.smtp.connectiontimeout", Long.toString(c.connectTimeout.toMillis()));
        p.setProperty("mail.smtp.timeout", Long.toString(c.readTimeout.toMillis()));
        p.setProperty("mail.smtp.writetimeout", Long.toString(c.readTimeout.toMillis()));
        p.setProperty("mail.smtp.auth", Boolean.toString(c.username != null));
        p.setProperty("mail.smtp.starttls.enable", Boolean.toString(c.security == Security.STARTTLS));
        p.setProperty("mail.smtp.starttls.required", Boolean.toString(c.security == Security.STARTTLS));
        p.setProperty("mail.smtp.ssl.enable", Boolean.toString(c.security == Security.TLS));
        p.setProperty("mail.smtp.ssl.checkserveridentity", Boolean.toString(!c.trustAnyCertificateForTestsOnly));
        if (c.trustAnyCertificateForTestsOnly) {
            p.setProperty("mail.smtp.ssl.trust", "*");
        }
        p.setProperty("mail.smtp.sendpartial", "true");
        p.setProperty("mail.smtp.quitwait", "false");
        p.setProperty("mail.mime.charset", "UTF-8");
        return p;
    }

    /** The type and the channel's name only: never a host credential or an address. */
    @Override
    public String toString() {
        return "EmailChannel[" + config.name + "]";
    }

    /**
     * How the connection to the SMTP server is protected: {@code none}, {@code starttls} (required: a server that
     * does not offer it is refused), or {@code tls} (implicit TLS, SMTPS).
     */
    public enum Security {
        NONE(25), STARTTLS(587), TLS(465);

        private final int defaultPort;

        Security(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        /** The port used when none is configured: 25, 587 or 465. */
        public int defaultPort() {
            return defaultPort;
        }

        /** As written in config: {@code none}, {@code starttls} or {@code tls}. */
        public static Security of(String value) {
            return switch (value == null ? "" : value.strip().toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "starttls" -> STARTTLS;
                case "tls", "smtps" -> TLS;
                default -> throw new IllegalArgumentException(
                        "security must be none, starttls or tls, not '" + value + "'");
            };
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * An email channel's settings. Holds a password and addresses: {@link #toString()} shows the name only, and
     * validation errors name the field, never its value.
     */
    public static final class Config {
        private final String name;
        private final String host;
        private final int port;
        private final Security security;
        private final String username;
        private final String password;
        private final InternetAddress fromAddress;
        private final List<InternetAddress> recipientAddresses;
        private final Duration connectTimeout;
        private final Duration readTimeout;
        private final boolean trustAnyCertificateForTestsOnly;

        private Config(Builder b) {
            String where = "email channel '" + b.name + "': ";
            if (b.host == null || b.host.isBlank()) {
                throw new IllegalArgumentException(where + "host is required");
            }
            if (b.port != 0 && (b.port < 1 || b.port > 65535)) {
                throw new IllegalArgumentException(where + "port must be within 1-65535");
            }
            if ((b.username == null) != (b.password == null)) {
                throw new IllegalArgumentException(where + "username and password go together");
            }
            if (b.username != null && (b.username.isBlank() || b.password.isEmpty())) {
                throw new IllegalArgumentException(where + "username and password must not be empty");
            }
            InternetAddress f = parse(b.from);
            if (f == null) {
                throw new IllegalArgumentException(where + "from is not a valid email address");
            }
            List<InternetAddress> rs = new ArrayList<>();
            for (int i = 0; i < b.recipients.size(); i++) {
                InternetAddress a = parse(b.recipients.get(i));
                if (a == null) {
                    throw new IllegalArgumentException(where + "recipient " + (i + 1)
                            + " is not a valid email address");
                }
                rs.add(a);
            }
            requirePositive(where, "connectTimeout", b.connectTimeout);
            requirePositive(where, "readTimeout", b.readTimeout);
            this.name = b.name;
            this.host = b.host.strip();
            this.security = b.security;
            this.port = b.port == 0 ? b.security.defaultPort() : b.port;
            this.username = b.username;
            this.password = b.password;
            this.fromAddress = f;
            this.recipientAddresses = List.copyOf(rs);
            this.connectTimeout = b.connectTimeout;
            this.readTimeout = b.readTimeout;
            this.trustAnyCertificateForTestsOnly = b.trustAnyCertificateForTestsOnly;
        }

        private static void requirePositive(String where, String field, Duration d) {
            if (d == null || d.isZero() || d.isNegative() || d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(where + field + " must be positive");
            }
        }

        /** @param name the channel's name in config, shown in logs (not a secret) */
        public static Builder builder(String name) {
            return new Builder(name);
        }

        public String name() {
            return name;
        }

        public Security security() {
            return security;
        }

        public int port() {
            return port;
        }

        /** The number of configured recipients (the addresses themselves stay inside). */
        public int recipientCount() {
            return recipientAddresses.size();
        }

        @Override
        public String toString() {
            return "EmailChannel.Config[" + name + "]";
        }

        /** Builds a {@link Config}; see the setters for the defaults. */
        public static final class Builder {
            private final String name;
            private String host;
            private int port;
            private Security security = Security.STARTTLS;
            private String username;
            private String password;
            private String from;
            private List<String> recipients = List.of();
            private Duration connectTimeout = Duration.ofSeconds(10);
            private Duration readTimeout = Duration.ofSeconds(10);
            private boolean trustAnyCertificateForTestsOnly;

            private Builder(String name) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("an email channel needs a name");
                }
                this.name = name;
            }

            /** The SMTP server (required). */
            public Builder host(String host) {
                this.host = host;
                return this;
            }

            /** The port; 0 (the default) for the security mode's: 25, 587 (starttls), 465 (tls). */
            public Builder port(int port) {
                this.port = port;
                return this;
            }

            /** Default {@link Security#STARTTLS}. */
            public Builder security(Security security) {
                this.security = Objects.requireNonNull(security, "security");
                return this;
            }

            /** Log in with these (both or neither); without them no AUTH is attempted. */
            public Builder credentials(String username, String password) {
                this.username = username;
                this.password = password;
                return this;
            }

            /** The sender address (required); also the domain of the Message-ID. */
            public Builder from(String from) {
                this.from = from;
                return this;
            }

            /** Who always gets this channel's messages (on-call, team leads); may be empty. */
            public Builder recipients(List<String> recipients) {
                this.recipients = List.copyOf(recipients);
                return this;
            }

            /** Default 10 s. */
            public Builder connectTimeout(Duration connectTimeout) {
                this.connectTimeout = connectTimeout;
                return this;
            }

            /** The longest wait for each SMTP reply and write; default 10 s. */
            public Builder readTimeout(Duration readTimeout) {
                this.readTimeout = readTimeout;
                return this;
            }

            /**
             * FOR TESTS ONLY: trust any TLS certificate and skip the host name check (GreenMail's self-signed
             * certificate). Never set from the configuration file.
             */
            public Builder trustAnyCertificateForTestsOnly() {
                this.trustAnyCertificateForTestsOnly = true;
                return this;
            }

            public Config build() {
                return new Config(this);
            }
        }
    }
}
