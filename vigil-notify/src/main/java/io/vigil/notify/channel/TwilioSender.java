package io.vigil.notify.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.outbound.HttpDelivery;
import io.vigil.core.outbound.SendOutcome;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of a Twilio channel: one form-encoded POST per recipient to {@code Messages.json} or
 * {@code Calls.json} of the account (Twilio takes one {@code To} per request), sent at once in parallel, each through
 * {@link HttpDelivery}; the outcome of the send combines theirs ({@link FanOut#combine}). Recipients that already got
 * a message key from this channel are skipped, so a retried send after a partial failure reaches only the others
 * (while the process runs).
 */
final class TwilioSender {
    private static final Logger log = LoggerFactory.getLogger(TwilioSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Twilio's answer to a created message or call. */
    static final int CREATED = 201;

    private final TwilioConfig config;
    private final String kind;
    private final URI uri;
    private final String authorization;
    private final HttpDelivery delivery;
    private final FanOut fanOut = new FanOut();

    /**
     * @param kind {@code sms} or {@code voice}, for logs
     * @param resource {@code Messages.json} or {@code Calls.json}
     */
    TwilioSender(TwilioConfig config, String kind, String resource) {
        this.config = config;
        this.kind = kind;
        this.uri = URI.create(config.baseUri() + "/2010-04-01/Accounts/" + config.accountSid() + "/" + resource);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (config.accountSid() + ":" + config.authToken()).getBytes(StandardCharsets.UTF_8));
        this.delivery = new HttpDelivery(config.timeout());
    }

    /**
     * Sends {@code field = content} (e.g. {@code Body}, {@code Twiml}) to the configured numbers and {@code to}.
     *
     * @param key the message key: recipients that already got it are skipped
     */
    SendOutcome send(String key, List<String> to, String field, String content) {
        List<String> recipients = new ArrayList<>(config.recipients());
        int invalid = 0;
        for (String s : to == null ? List.<String>of() : to) {
            String n = TwilioConfig.e164(s);
            if (n == null) {
                invalid++;
            } else if (!recipients.contains(n)) {
                recipients.add(n);
            }
        }
        if (invalid > 0) {
            log.warn("{} channel {}: skipped {} recipient(s) of message {} that are not phone numbers in E.164",
                    kind, config.name(), invalid, key);
        }
        if (recipients.isEmpty()) {
            return new SendOutcome.Rejected(invalid > 0
                    ? "no valid recipient: " + invalid + " number(s) not in E.164 skipped"
                    : "no recipients", 0);
        }
        Set<String> done = fanOut.alreadySent(key);
        List<String> pending = recipients.stream().filter(n -> !done.contains(n)).toList();
        if (pending.isEmpty()) {
            return new SendOutcome.Delivered(CREATED);
        }
        List<SendOutcome> outcomes = pending.size() == 1 ? List.of(post(pending.getFirst(), field, content))
                : postAll(pending, field, content);
        List<String> delivered = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            if (outcomes.get(i) instanceof SendOutcome.Delivered) {
                delivered.add(pending.get(i));
            }
        }
        fanOut.sent(key, delivered);
        return FanOut.combine(outcomes);
    }

    /** One request per number, in parallel (virtual threads): the send takes about one timeout at most. */
    private List<SendOutcome> postAll(List<String> numbers, String field, String content) {
        List<SendOutcome> outcomes = new ArrayList<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<SendOutcome>> futures = new ArrayList<>();
            for (String n : numbers) {
                futures.add(ex.submit(() -> post(n, field, content)));
            }
            for (Future<SendOutcome> f : futures) {
                try {
                    outcomes.add(f.get());
                } catch (ExecutionException e) {
                    outcomes.add(new SendOutcome.Retry(
                            "http client error (" + e.getCause().getClass().getSimpleName() + ")", 0, null));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    outcomes.add(new SendOutcome.Retry("interrupted", 0, null));
                }
            }
        }
        return outcomes;
    }

    private SendOutcome post(String number, String field, String content) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", number);
        form.put("From", config.from());
        form.put(field, content);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        return delivery.send(request, TwilioSender::errorCode);
    }

    /** {@code application/x-www-form-urlencoded}, UTF-8. */
    static String form(Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> {
            if (!b.isEmpty()) {
                b.append('&');
            }
            b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return b.toString();
    }

    /**
     * Twilio's error code from an error answer ({@code {"code":21211,"message":"The 'To' number ... is not a valid
     * phone number.","status":400}}) as {@code twilio error 21211}; the message, which quotes the number, is not read.
     */
    static String errorCode(String body) {
        try {
            JsonNode code = JSON.readTree(body).get("code");
            return code != null && code.isIntegralNumber() ? "twilio error " + code.asLong() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
