package io.vigil.notify.channel;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for Twilio's Messages and Calls APIs that checks what Twilio checks: POST to
 * {@code /2010-04-01/Accounts/{AccountSid}/Messages.json} or {@code Calls.json} of the configured account, HTTP basic
 * auth equal to {@code AccountSid:AuthToken}, a form-encoded body with {@code To}, {@code From} and {@code Body}
 * (messages) or {@code Twiml} (calls). Answers 201 with a Twilio-like JSON body, or what a test scripted for a
 * {@code To} number; records every request.
 */
final class FakeTwilio implements AutoCloseable {
    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "tok-5e1d9a0c3b7f4e2a9d8c6b5a4f3e2d1c";

    /** One request as received. */
    record Request(String method, String path, String contentType, String authorization, Map<String, String> form) {}

    /** A scripted answer. */
    record Answer(int status, String body, Map<String, String> headers) {}

    private static final Pattern PATH = Pattern.compile("/2010-04-01/Accounts/([^/]+)/(Messages|Calls)\\.json");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    /** Answers by {@code To} number; others get 201. */
    final Map<String, Answer> answers = new ConcurrentHashMap<>();
    /** {@code To} numbers whose request is held without an answer until {@link #close()}. */
    final Map<String, Boolean> hang = new ConcurrentHashMap<>();

    FakeTwilio() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw;
            try (InputStream in = ex.getRequestBody()) {
                raw = in.readAllBytes();
            }
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            Map<String, String> form = parseForm(new String(raw, StandardCharsets.UTF_8));
            String path = ex.getRequestURI().getRawPath();
            requests.add(new Request(ex.getRequestMethod(), path, contentType, auth, form));

            Matcher m = PATH.matcher(path);
            if (!m.matches() || !m.group(1).equals(SID)) {
                answer(ex, new Answer(404, "{\"code\":20404,\"message\":\"The requested resource was not found\","
                        + "\"status\":404}", Map.of()));
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                answer(ex, new Answer(405, "{\"code\":20004,\"message\":\"Method not allowed\",\"status\":405}",
                        Map.of()));
                return;
            }
            String expected = "Basic " + Base64.getEncoder().encodeToString(
                    (SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(auth)) {
                answer(ex, new Answer(401, "{\"code\":20003,\"message\":\"Authenticate\",\"status\":401}", Map.of()));
                return;
            }
            boolean messages = m.group(2).equals("Messages");
            if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")
                    || !form.containsKey("To") || !form.containsKey("From")
                    || !form.containsKey(messages ? "Body" : "Twiml")) {
                answer(ex, new Answer(400, "{\"code\":21602,\"message\":\"A required parameter is missing.\","
                        + "\"status\":400}", Map.of()));
                return;
            }
            String to = form.get("To");
            if (hang.containsKey(to)) {
                release.await(10, TimeUnit.SECONDS);
                return;
            }
            Answer a = answers.get(to);
            if (a == null) {
                String sid = (messages ? "SM" : "CA") + "0123456789abcdef0123456789abcdef";
                a = new Answer(201, "{\"sid\":\"" + sid + "\",\"account_sid\":\"" + SID + "\",\"to\":\"" + to
                        + "\",\"from\":\"" + form.get("From") + "\",\"status\":\"queued\"}", Map.of());
            }
            answer(ex, a);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange ex, Answer a) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(a.status(), body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    static Map<String, String> parseForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(k, v);
        }
        return form;
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
