package io.vigil.calendar.ics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeedFetcherTest {
    private static final byte[] FEED = Ics.calendar(Ics.event("w-1", "DTSTART;TZID=Europe/London:20260612T140000",
            "DURATION:PT9H"));
    private static final Instant T0 = Instant.parse("2026-05-01T09:00:00Z");
    /** Generous limits, so that a loaded machine cannot turn an ordinary answer into a timeout. */
    private static final FeedFetcher.Settings FAST = new FeedFetcher.Settings(Duration.ofSeconds(10),
            Duration.ofSeconds(10), 64 * 1024, 3);
    /** A short answer deadline for the tests of slow answers (their server takes 3 s or more). */
    private static final FeedFetcher.Settings SHORT_DEADLINE = new FeedFetcher.Settings(Duration.ofSeconds(10),
            Duration.ofMillis(800), 64 * 1024, 3);

    private HttpServer server;
    private ExecutorService executor;
    private final AtomicReference<String> authorization = new AtomicReference<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/feed.ics", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            send(exchange, 200, FEED);
        });
        server.createContext("/missing", exchange -> send(exchange, 404, "no such feed".getBytes()));
        server.createContext("/broken", exchange -> send(exchange, 500, "boom".getBytes()));
        server.createContext("/slow", exchange -> {
            sleep(3_000);
            send(exchange, 200, FEED);
        });
        server.createContext("/trickle", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 30; i++) {
                    out.write('x');
                    out.flush();
                    sleep(100);
                }
            } catch (IOException closedByClient) {
                // expected once the fetcher gives up
            }
        });
        server.createContext("/huge-declared", exchange -> send(exchange, 200, new byte[64 * 1024 + 1]));
        server.createContext("/huge-chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 1024; i++) {
                    out.write(new byte[1024]);
                }
            } catch (IOException closedByClient) {
                // expected once the fetcher gives up
            }
        });
        server.createContext("/moved", exchange -> redirect(exchange, "/feed.ics"));
        server.createContext("/loop", exchange -> redirect(exchange, "/loop"));
        server.createContext("/to-ftp", exchange -> redirect(exchange, "ftp://files.example/feed.ics"));
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        executor.shutdownNow();
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private FeedFetcher fetcher(URI url) {
        return new FeedFetcher(url, FAST, Clock.fixed(T0, ZoneOffset.UTC));
    }

    @Test
    void okReturnsTheBodyAndRecordsSuccess() {
        try (FeedFetcher fetcher = fetcher(url("/feed.ics"))) {
            FetchResult result = fetcher.fetch();

            assertThat(result).isInstanceOfSatisfying(FetchResult.Fetched.class,
                    f -> assertThat(f.body()).isEqualTo(FEED));
            assertThat(new IcsWeddingParser().parse(((FetchResult.Fetched) result).body(), "ics:x").weddings())
                    .hasSize(1);
            assertThat(fetcher.health()).isEqualTo(new FeedHealth(T0, T0, null, 0));
            assertThat(fetcher.health().healthy()).isTrue();
        }
    }

    @Test
    void notFoundIsAStatusFailure() {
        try (FeedFetcher fetcher = fetcher(url("/missing"))) {
            FetchResult result = fetcher.fetch();

            String port = String.valueOf(server.getAddress().getPort());
            assertThat(result).isEqualTo(new FetchResult.Failed(FetchFailure.HTTP_STATUS,
                    "HTTP 404 from http://127.0.0.1:" + port + "/..."));
            assertThat(fetcher.health().lastError()).isEqualTo("HTTP 404 from http://127.0.0.1:" + port + "/...");
            assertThat(fetcher.health().lastSuccess()).isNull();
            assertThat(fetcher.health().consecutiveFailures()).isEqualTo(1);
        }
    }

    @Test
    void serverErrorIsAStatusFailure() {
        try (FeedFetcher fetcher = fetcher(url("/broken"))) {
            assertThat(fetcher.fetch()).isInstanceOfSatisfying(FetchResult.Failed.class, f -> {
                assertThat(f.reason()).isEqualTo(FetchFailure.HTTP_STATUS);
                assertThat(f.message()).startsWith("HTTP 500 from ");
            });
        }
    }

    @Test
    void slowAnswerTimesOut() {
        try (FeedFetcher fetcher = new FeedFetcher(url("/slow"), SHORT_DEADLINE, Clock.fixed(T0, ZoneOffset.UTC))) {
            FetchResult result = fetcher.fetch();

            assertThat(result).isInstanceOfSatisfying(FetchResult.Failed.class, f -> {
                assertThat(f.reason()).isEqualTo(FetchFailure.TIMEOUT);
                assertThat(f.message()).startsWith("no complete answer from http://127.0.0.1:").endsWith("within 800 ms");
            });
        }
    }

    @Test
    void aBodyTricklingInPastTheDeadlineTimesOut() {
        try (FeedFetcher fetcher = new FeedFetcher(url("/trickle"), SHORT_DEADLINE, Clock.fixed(T0, ZoneOffset.UTC))) {
            assertThat(fetcher.fetch()).extracting(r -> ((FetchResult.Failed) r).reason())
                    .isEqualTo(FetchFailure.TIMEOUT);
        }
    }

    @Test
    void oversizedBodyIsRefusedWhetherDeclaredOrStreamed() {
        for (String path : new String[] {"/huge-declared", "/huge-chunked"}) {
            try (FeedFetcher fetcher = fetcher(url(path))) {
                assertThat(fetcher.fetch()).isInstanceOfSatisfying(FetchResult.Failed.class, f -> {
                    assertThat(f.reason()).isEqualTo(FetchFailure.TOO_LARGE);
                    assertThat(f.message()).endsWith(" is larger than 65536 bytes");
                });
            }
        }
    }

    @Test
    void redirectsAreFollowedAFewTimesAtMost() {
        try (FeedFetcher moved = fetcher(url("/moved")); FeedFetcher loop = fetcher(url("/loop"));
             FeedFetcher ftp = fetcher(url("/to-ftp"))) {
            assertThat(moved.fetch()).isInstanceOf(FetchResult.Fetched.class);
            assertThat(loop.fetch()).isInstanceOfSatisfying(FetchResult.Failed.class, f -> {
                assertThat(f.reason()).isEqualTo(FetchFailure.BAD_REDIRECT);
                assertThat(f.message()).endsWith("redirected more than 3 times");
            });
            assertThat(ftp.fetch()).isInstanceOfSatisfying(FetchResult.Failed.class, f -> {
                assertThat(f.reason()).isEqualTo(FetchFailure.BAD_REDIRECT);
                assertThat(f.message()).contains("without a valid http or https Location");
            });
        }
    }

    @Test
    void unreachableHostIsReported() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (FeedFetcher fetcher = fetcher(URI.create("http://127.0.0.1:" + closedPort + "/feed.ics"))) {
            assertThat(fetcher.fetch()).isInstanceOfSatisfying(FetchResult.Failed.class, f -> {
                assertThat(f.reason()).isEqualTo(FetchFailure.UNREACHABLE);
                assertThat(f.message()).startsWith("could not connect to http://127.0.0.1:" + closedPort + "/...");
            });
        }
    }

    @Test
    void credentialsAreSentButNeverShownAndQueryIsHidden() {
        URI secretMissing = URI.create("http://feed-user:s3cr3t-pass@127.0.0.1:" + server.getAddress().getPort()
                + "/private-token-123/missing?token=abc123");
        URI secretFeed = URI.create("http://feed-user:s3cr3t-pass@127.0.0.1:" + server.getAddress().getPort()
                + "/feed.ics?key=abc123");
        try (FeedFetcher missing = fetcher(secretMissing); FeedFetcher ok = fetcher(secretFeed)) {
            FetchResult failed = missing.fetch();
            ok.fetch();

            String shown = failed + " " + missing.health() + " " + missing.shownUrl();
            assertThat(shown).contains("HTTP 404").doesNotContain("feed-user", "s3cr3t", "abc123", "private-token");
            assertThat(authorization.get()).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString("feed-user:s3cr3t-pass".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void healthKeepsTheLastSuccessAcrossFailures() {
        AtomicReference<Instant> now = new AtomicReference<>(T0);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        try (FeedFetcher ok = new FeedFetcher(url("/feed.ics"), FAST, clock)) {
            assertThat(ok.health()).isEqualTo(FeedHealth.NEVER_FETCHED);
            ok.fetch();
            server.removeContext("/feed.ics");
            now.set(T0.plusSeconds(60));
            ok.fetch();
            now.set(T0.plusSeconds(120));
            ok.fetch();

            assertThat(ok.health().lastAttempt()).isEqualTo(T0.plusSeconds(120));
            assertThat(ok.health().lastSuccess()).isEqualTo(T0);
            assertThat(ok.health().lastError()).startsWith("HTTP 404 from ");
            assertThat(ok.health().consecutiveFailures()).isEqualTo(2);
            assertThat(ok.health().healthy()).isFalse();
        }
    }

    @Test
    void onlyHttpAndHttpsUrlsAreAccepted() {
        for (String url : new String[] {"ftp://files.example/feed.ics", "file:///etc/passwd", "webcal://x.example/a",
                "http:///no-host"}) {
            assertThatThrownBy(() -> new FeedFetcher(URI.create(url))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a feed URL must be http or https with a host");
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        } catch (IOException closedByClient) {
            // the fetcher may stop reading early
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
