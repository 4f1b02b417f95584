package io.vigil.notify.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A vendor stand-in for the HTTP channel tests: the JDK's HttpServer on 127.0.0.1 and a free port, recording every
 * request and answering as its {@link Responder} decides, optionally after a delay.
 */
public final class HttpChannelReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it arrived. */
    public record Request(String method, String path, String query, Headers headers, byte[] body) {
        public String header(String name) {
            return headers.getFirst(name);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** An answer: status, headers, body, and how long to wait before giving it. */
    public record Response(int status, Map<String, String> headers, String body, Duration delay) {
        public static Response of(int status, String body) {
            return new Response(status, Map.of(), body, Duration.ZERO);
        }

        public Response withHeader(String name, String value) {
            Map<String, String> h = new java.util.LinkedHashMap<>(headers);
            h.put(name, value);
            return new Response(status, h, body, delay);
        }

        public Response after(Duration d) {
            return new Response(status, headers, body, d);
        }
    }

    /** Decides the answer to a request. */
    public interface Responder {
        public Response respond(Request request) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile Responder responder;

    private HttpChannelReceiver(Responder responder) throws IOException {
        this.responder = responder;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static HttpChannelReceiver start(Responder responder) {
        try {
            return new HttpChannelReceiver(responder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers later requests with another responder. */
    public void respondWith(Responder r) {
        responder = r;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** What went wrong in the responder (its check of a request failed), answered with status 599. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** The one request received so far. */
    public Request only() {
        if (requests.size() != 1) {
            throw new AssertionError("expected one request, got " + requests.size());
        }
        return requests.getFirst();
    }

    /** A URL on 127.0.0.1 where nothing listens (a port just freed). */
    public static URI closedPort(String path) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort() + path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            URI u = exchange.getRequestURI();
            Request request = new Request(exchange.getRequestMethod(), u.getPath(), u.getRawQuery(),
                    exchange.getRequestHeaders(), body);
            requests.add(request);
            Response response;
            try {
                response = responder.respond(request);
            } catch (Exception | AssertionError e) {
                failures.add(String.valueOf(e));
                response = Response.of(599, "responder failed");
            }
            if (!response.delay().isZero()) {
                try {
                    Thread.sleep(response.delay());
                } catch (InterruptedException e) {
                    return;
                }
            }
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(response.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
