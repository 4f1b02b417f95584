package io.vigil.server.stream;

import static io.vigil.server.stream.StreamClients.READ_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.server.VigilServer;
import io.vigil.server.alerting.AckSecrets;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Z1 for the streams: the read role or a stream token on the two stream endpoints, nothing else. */
class StreamAuthTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void streamsNeedAKey_orAStreamTokenThatOnlyTheStreamEndpointsTake() throws Exception {
        try (VigilServer server = StreamClients.start(dir)) {
            int port = server.port();
            // No key: 401 on SSE, the token endpoint and the WebSocket handshake.
            assertThat(StreamClients.get(port, "/api/v1/stream/sse?metric=m", null).statusCode()).isEqualTo(401);
            HttpResponse<String> noKeyToken = StreamClients.HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/stream/token"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noKeyToken.statusCode()).isEqualTo(401);
            assertThatThrownBy(() -> StreamClients.Ws.open(port, null, ""))
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
            // The ingest key lacks the read role.
            assertThat(StreamClients.get(port, "/api/v1/stream/sse?metric=m", StreamClients.INGEST_KEY).statusCode())
                    .isEqualTo(403);

            String token = StreamClients.token(port);
            assertThat(token).doesNotContain(READ_KEY);

            // The token works on SSE and on the WebSocket handshake ...
            try (StreamClients.Sse sse = new StreamClients.Sse(port, "?metric=tok_seconds&stat=count&token=" + token,
                    null, null)) {
                assertThat(sse.response.statusCode()).isEqualTo(200);
                assertThat(StreamClients.ingest(port, StreamClients.latency("tok_seconds", 1, 2))).isEqualTo(200);
                sse.await(e -> e.data().path("groups").path(0).path("value").asDouble() == 2.0, WAIT);
            }
            StreamClients.Ws ws = StreamClients.Ws.open(port, null, "?token=" + token);
            ws.send("{\"subscribe\": {\"metric\": \"tok_seconds\"}, \"id\": \"t\"}");
            ws.next(m -> m.path("type").asText().equals("subscribed"), WAIT);
            ws.socket.sendClose(1000, "done").join();

            // ... and nowhere else: not on queries, not to mint another token.
            assertThat(StreamClients.get(port, "/api/v1/query?metric=tok_seconds&token=" + token, null).statusCode())
                    .isEqualTo(401);
            HttpResponse<String> again = StreamClients.HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/stream/token?token=" + token))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).isEqualTo(401);

            // A tampered token: 401 saying what to do.
            char last = token.charAt(token.length() - 1);
            String tampered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
            HttpResponse<String> bad = StreamClients.get(port, "/api/v1/stream/sse?metric=m&token=" + tampered, null);
            assertThat(bad.statusCode()).isEqualTo(401);
            assertThat(bad.body()).contains("stream token invalid or expired").contains("/api/v1/stream/token");
            // The last character changed only in a bit base64 leaves unused (a 32-byte signature's 43rd character
            // carries 4 bits; A = 000000 and B = 000001 decode alike): still refused.
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            char sameBits = alphabet.charAt(alphabet.indexOf(last) ^ 1);
            assertThat(java.util.Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1)))
                    .as("the same signature bytes").isEqualTo(java.util.Base64.getUrlDecoder().decode(
                            (token.substring(0, token.length() - 1) + sameBits).substring(token.lastIndexOf('.') + 1)));
            assertThat(StreamClients.get(port, "/api/v1/stream/sse?metric=m&token="
                    + token.substring(0, token.length() - 1) + sameBits, null).statusCode()).isEqualTo(401);
            String otherName = token.replaceFirst("^vst1\\.(\\d+)\\.[^.]+\\.", "vst1.$1.YWRtaW4.");
            assertThat(StreamClients.get(port, "/api/v1/stream/sse?metric=m&token=" + otherName, null).statusCode())
                    .isEqualTo(401);
            String longer = token.replaceFirst("^vst1\\.(\\d+)\\.", "vst1.9$1.");
            assertThat(StreamClients.get(port, "/api/v1/stream/sse?metric=m&token=" + longer, null).statusCode())
                    .isEqualTo(401);

            // An expired token, signed with the server's own secret 6 minutes ago: 401.
            StreamTokens past = new StreamTokens(() -> AckSecrets.resolve(server.state(), Map.of(),
                    "VIGIL_STREAM_SECRET", "stream-tokens"),
                    Clock.fixed(Instant.now().minus(Duration.ofMinutes(6)), ZoneOffset.UTC));
            String expired = past.issue("dashboards").token();
            assertThat(StreamClients.get(port, "/api/v1/stream/sse?metric=m&token=" + expired, null).statusCode())
                    .isEqualTo(401);
            assertThatThrownBy(() -> StreamClients.Ws.open(port, null, "?token=" + expired))
                    .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
            // The same signer with the current time makes tokens the server accepts (the secret is the stored one).
            StreamTokens now = new StreamTokens(() -> AckSecrets.resolve(server.state(), Map.of(),
                    "VIGIL_STREAM_SECRET", "stream-tokens"), Clock.systemUTC());
            try (StreamClients.Sse ok = new StreamClients.Sse(port, "?metric=m&token=" + now.issue("x").token(), null,
                    null)) {
                assertThat(ok.response.statusCode()).isEqualTo(200);
            }
        }
    }
}
