package io.vigil.server.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.vigil.server.http.HttpProblem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * {@code GET /api/v1/stream/ws} (WebSocket), {@code GET /api/v1/stream/sse} (Server-Sent Events) and
 * {@code POST /api/v1/stream/token}. Authorization (the read role, or a stream token on the two stream endpoints)
 * happens before these handlers, in {@link io.vigil.server.http.HttpApi}. See docs/streams.md.
 */
public final class StreamRoutes {
    public static final String WS_PATH = "/api/v1/stream/ws";
    public static final String SSE_PATH = "/api/v1/stream/sse";
    public static final String TOKEN_PATH = "/api/v1/stream/token";
    /** The SSE {@code retry:} hint, in milliseconds. */
    static final int RETRY_MILLIS = 3_000;
    /** The id of the one subscription of an SSE stream. */
    static final String SSE_SUBSCRIPTION = "sse";
    private static final int MAX_ID_LENGTH = 64;

    private final StreamHub hub;
    private final StreamTokens tokens;
    private final Function<Context, String> keyName;
    private final Map<String, StreamClient> wsClients = new ConcurrentHashMap<>();

    /** @param keyName the configured name of the request's key (tokens carry it) */
    public StreamRoutes(StreamHub hub, StreamTokens tokens, Function<Context, String> keyName) {
        this.hub = hub;
        this.tokens = tokens;
        this.keyName = keyName;
    }

    /** The key name of a valid stream token, or null when it is malformed, tampered with or expired. */
    public String verifyToken(String token) {
        return tokens.verify(token);
    }

    /** Whether a path takes a stream token ({@code ?token=}) in place of an API key. */
    public static boolean acceptsToken(String path) {
        return path.equals(WS_PATH) || path.equals(SSE_PATH);
    }

    /** {@code POST /api/v1/stream/token}: a stream token for the calling key, valid for 5 minutes. */
    public void token(Context ctx) {
        StreamTokens.Issued issued = tokens.issue(keyName.apply(ctx));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", issued.token());
        out.put("expiresAt", Instant.ofEpochMilli(issued.expiresAtMillis()).toString());
        out.put("expiresInSeconds", StreamTokens.LIFETIME.toSeconds());
        ctx.header("Cache-Control", "no-store").json(out);
    }

    // ---------------------------------------------------------------- WebSocket

    /** The WebSocket endpoint's handlers. */
    public void websocket(WsConfig ws) {
        ws.onConnect(ctx -> {
            StreamClient client = hub.connect(new WsSink(ctx.session));
            wsClients.put(ctx.sessionId(), client);
            client.startSender();
        });
        ws.onMessage(ctx -> {
            StreamClient client = wsClients.get(ctx.sessionId());
            if (client != null) {
                onWsMessage(client, ctx.message());
            }
        });
        ws.onClose(ctx -> closed(ctx, "closed by the client"));
        ws.onError(ctx -> closed(ctx, "connection error"));
    }

    private void closed(WsContext ctx, String reason) {
        StreamClient client = wsClients.remove(ctx.sessionId());
        if (client != null) {
            hub.disconnect(client, reason);
        }
    }

    /** Handles one client message: {@code {"subscribe": {...}, "id": "s1"}} or {@code {"unsubscribe": "s1"}}. */
    void onWsMessage(StreamClient client, String text) {
        JsonNode msg;
        try {
            msg = StreamMessages.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            error(client, null, "the message is not JSON; send {\"subscribe\": {\"metric\": \"...\"}, \"id\": \"s1\"} "
                    + "or {\"unsubscribe\": \"s1\"}");
            return;
        }
        if (msg == null || !msg.isObject()) {
            error(client, null, "the message must be a JSON object such as {\"subscribe\": {...}, \"id\": \"s1\"}");
            return;
        }
        if (msg.has("unsubscribe")) {
            JsonNode id = msg.get("unsubscribe");
            if (!id.isTextual()) {
                error(client, null, "'unsubscribe' must be the id of a subscription, e.g. {\"unsubscribe\": \"s1\"}");
                return;
            }
            if (hub.unsubscribe(client, id.asText())) {
                client.offerControl(control(StreamMessages.ack("unsubscribed", id.asText())));
            } else {
                error(client, id.asText(), "no subscription with id '" + StreamSpec.shorten(id.asText())
                        + "' on this connection");
            }
            return;
        }
        JsonNode idNode = msg.get("id");
        String id = idNode != null && idNode.isTextual() ? idNode.asText() : null;
        if (!msg.has("subscribe")) {
            error(client, id, "the message must contain 'subscribe' (with 'id') or 'unsubscribe'");
            return;
        }
        if (id == null || id.isBlank() || id.length() > MAX_ID_LENGTH) {
            error(client, null, "'id' is required with 'subscribe': a string of 1 to " + MAX_ID_LENGTH
                    + " characters naming the subscription, e.g. \"s1\"");
            return;
        }
        JsonNode sub = msg.get("subscribe");
        if (!sub.isObject()) {
            error(client, id, "'subscribe' must be an object such as {\"metric\": \"...\", \"stat\": \"p95\"}");
            return;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = StreamMessages.JSON.convertValue(sub, Map.class);
            StreamSpec spec = StreamSpec.parse(fields);
            hub.subscribe(client, id, spec, 0);
        } catch (IllegalArgumentException e) {
            error(client, id, e.getMessage());
            return;
        }
        client.offerControl(control(StreamMessages.ack("subscribed", id)));
    }

    private static void error(StreamClient client, String id, String message) {
        client.offerControl(control(StreamMessages.error(id, message)));
    }

    private static StreamClient.Outgoing control(String json) {
        return new StreamClient.Outgoing(null, 0, json);
    }

    /** Writes text frames through Jetty's asynchronous API and waits for each, so nothing queues inside Jetty. */
    private record WsSink(Session session) implements StreamClient.Sink {
        @Override
        public void send(StreamClient.Outgoing message) throws Exception {
            Callback.Completable done = new Callback.Completable();
            session.sendText(message.json(), done);
            done.get(StreamClient.Limits.DEFAULTS.stallTimeout().toSeconds() + 5, TimeUnit.SECONDS);
        }

        @Override
        public void close(String reason) {
            // 1008 policy violation for a client that fell behind; the close frame may not get through a stalled
            // connection, so the connection is dropped shortly after in any case.
            String r = reason.length() > 120 ? reason.substring(0, 120) : reason;
            session.close(reason.startsWith("server stopping") ? 1001 : 1008, r, Callback.NOOP);
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (session.isOpen()) {
                    session.disconnect();
                }
            });
        }
    }

    // ---------------------------------------------------------------- Server-Sent Events

    /**
     * The SSE endpoint: one subscription from the query parameters ({@code metric}, {@code stat}, {@code by},
     * {@code window}, {@code wedding}, {@code loadTest}; any other parameter but {@code token} and {@code lastEventId} is
     * a label filter). The handler's own virtual thread is the client's sender.
     */
    public void sse(Context ctx) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, Object> labels = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((k, v) -> {
            if (k.equals("token") || k.equals("lastEventId") || v.isEmpty()) {
                return;
            }
            if (StreamSpec.FIELDS.contains(k) && !k.equals("labels")) {
                fields.put(k, v.get(0));
            } else {
                labels.put(k, v.get(0));
            }
        });
        if (!labels.isEmpty()) {
            fields.put("labels", labels);
        }
        StreamSpec spec;
        try {
            spec = StreamSpec.parse(fields);
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, e.getMessage());
        }
        long lastSeq = 0;
        String lastEventId = ctx.header("Last-Event-ID");
        if (lastEventId == null) {
            lastEventId = ctx.queryParam("lastEventId");
        }
        if (lastEventId != null && lastEventId.trim().matches("\\d{1,18}")) {
            lastSeq = Long.parseLong(lastEventId.trim());
        }
        var res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream;charset=utf-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        OutputStream out = res.getOutputStream();
        out.write(("retry: " + RETRY_MILLIS + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        SseSink sink = new SseSink(out, ctx.req());
        StreamClient client = hub.connect(sink);
        try {
            hub.subscribe(client, SSE_SUBSCRIPTION, spec, lastSeq);
            client.runSender();
        } finally {
            hub.disconnect(client, client.isClosed() ? client.closeReason() : "stream ended");
        }
    }

    private static final class SseSink implements StreamClient.Sink {
        private final OutputStream out;
        private final jakarta.servlet.http.HttpServletRequest request;
        private volatile long lastSeq;

        SseSink(OutputStream out, jakarta.servlet.http.HttpServletRequest request) {
            this.out = out;
            this.request = request;
        }

        @Override
        public void send(StreamClient.Outgoing message) throws IOException {
            if (message.subscription() != null) {
                lastSeq = message.seq();
            }
            // Every event carries an id: updates their sequence number, other events the last one sent.
            String event = "id: " + lastSeq + "\ndata: " + message.json() + "\n\n";
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void close(String reason) {
            // The sender returns on its own; a write stuck on a stalled client is cut by closing the connection.
            try {
                org.eclipse.jetty.ee10.servlet.ServletContextRequest r =
                        org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(request);
                if (r != null && !reason.equals("stream ended") && !reason.startsWith("write failed")) {
                    r.getConnectionMetaData().getConnection().getEndPoint().close();
                }
            } catch (RuntimeException e) {
                // already closed
            }
        }
    }
}
