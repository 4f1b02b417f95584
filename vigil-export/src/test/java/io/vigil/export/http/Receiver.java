package io.vigil.export.http;

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
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A far side for exporter tests: the JDK's HttpServer on 127.0.0.1 and a free port. Each request is recorded and
 * answered by the next scripted answer if any (for failures: 429, 500, a hanging answer...), else by the
 * {@link Handler}, which plays the vendor as it documents itself.
 */
public final class Receiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Request(String method, String path, Headers headers, byte[] body) {
        public String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** An answer: status, headers, body, and how long to wait before giving it. */
    public record Response(int status, Map<String, String> headers, byte[] body, Duration delay) {
        public static Response of(int status) {
            return new Response(status, Map.of(), new byte[0], Duration.ZERO);
        }

        public static Response of(int status, String contentType, byte[] body) {
            return new Response(status, Map.of("Content-Type", contentType), body, Duration.ZERO);
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

    /** Answers a request as the vendor would. */
    public interface Handler {
        Response handle(Request request) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Integer> statuses = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Queue<Response> scripted = new ArrayDeque<>();
    private final Handler handler;

    public Receiver(Handler handler) {
        this.handler = handler;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Answers the next requests with these, in order, before the handler answers again. */
    public Receiver script(Response... responses) {
        synchronized (scripted) {
            scripted.addAll(List.of(responses));
        }
        return this;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The status of each answer given, in order. */
    public List<Integer> statuses() {
        return List.copyOf(statuses);
    }

    /** Problems the handler found with a request (answered 599), which a test asserts to be none. */
    public List<String> failures() {
        return List.copyOf(failures);
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
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders(), body);
            requests.add(request);
            Response response;
            synchronized (scripted) {
                response = scripted.poll();
            }
            if (response == null) {
                try {
                    response = handler.handle(request);
                } catch (Exception | AssertionError e) {
                    failures.add(String.valueOf(e));
                    response = Response.of(599);
                }
            }
            if (!response.delay().isZero()) {
                try {
                    Thread.sleep(response.delay());
                } catch (InterruptedException e) {
                    return;
                }
            }
            statuses.add(response.status());
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = response.body();
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
