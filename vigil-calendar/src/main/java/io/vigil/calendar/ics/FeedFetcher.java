package io.vigil.calendar.ics;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * Fetches one iCalendar feed over http or https, within time and size limits, and keeps its {@link FeedHealth}.
 * Credentials in the URL ({@code https://user:secret@host/...}) are sent as HTTP Basic authentication to that origin
 * only; messages name the feed by scheme, host and port alone, since paths and queries of calendar links often hold
 * secret tokens. Thread-safe.
 */
public final class FeedFetcher implements AutoCloseable {

    /**
     * How a fetch is bounded.
     *
     * @param connectTimeout for opening the connection
     * @param requestTimeout for the whole fetch, redirects and body included
     * @param maxBytes the largest body accepted
     * @param maxRedirects redirects followed before giving up
     */
    public record Settings(Duration connectTimeout, Duration requestTimeout, long maxBytes, int maxRedirects) {
        /** 10 s to connect, 60 s in all, {@link IcsLimits#DEFAULTS}' size, 3 redirects. */
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(60),
                IcsLimits.DEFAULTS.maxBytes(), 3);

        public Settings {
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()
                    || requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("feed fetch timeouts must be positive");
            }
            if (maxBytes < 1 || maxRedirects < 0) {
                throw new IllegalArgumentException("maxBytes must be positive and maxRedirects not negative");
            }
        }
    }

    private final URI url;
    private final String authorization;
    private final String shown;
    private final Settings settings;
    private final Clock clock;
    private final HttpClient client;
    private final AtomicReference<FeedHealth> health = new AtomicReference<>(FeedHealth.NEVER_FETCHED);

    /** A fetcher with {@link Settings#DEFAULTS}. */
    public FeedFetcher(URI url) {
        this(url, Settings.DEFAULTS, Clock.systemUTC());
    }

    /** @throws IllegalArgumentException when the URL is not http(s) with a host */
    public FeedFetcher(URI url, Settings settings, Clock clock) {
        Objects.requireNonNull(url, "url");
        if (!isHttp(url) || url.getHost() == null) {
            throw new IllegalArgumentException("a feed URL must be http or https with a host");
        }
        this.url = withoutUserInfo(url);
        String userInfo = url.getUserInfo();
        this.authorization = userInfo == null ? null : "Basic "
                + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        this.shown = redact(url);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The feed as shown in messages: scheme, host and port, without credentials, path or query. */
    public String shownUrl() {
        return shown;
    }

    /** Fetches the feed once and records the outcome in {@link #health()}. */
    public FetchResult fetch() {
        Instant at = clock.instant();
        FetchResult result = attempt();
        health.updateAndGet(h -> h.after(result, at));
        return result;
    }

    /** How fetching has been going. */
    public FeedHealth health() {
        return health.get();
    }

    @Override
    public void close() {
        client.close();
    }

    private FetchResult attempt() {
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        URI current = url;
        for (int redirects = 0; ; redirects++) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return timedOut();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(current)
                    .timeout(Duration.ofNanos(remaining))
                    .header("Accept", "text/calendar, */*;q=0.1")
                    .GET();
            if (authorization != null && sameOrigin(current, url)) {
                request.header("Authorization", authorization);
            }
            CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(request.build(), this::bodyHandler);
            HttpResponse<byte[]> response;
            try {
                response = pending.get(remaining, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                pending.cancel(true);
                return timedOut();
            } catch (InterruptedException e) {
                pending.cancel(true);
                Thread.currentThread().interrupt();
                return new FetchResult.Failed(FetchFailure.INTERRUPTED, "fetching " + shown + " was interrupted");
            } catch (ExecutionException e) {
                return failure(e.getCause());
            }
            int status = response.statusCode();
            if (isRedirect(status)) {
                if (redirects >= settings.maxRedirects()) {
                    return new FetchResult.Failed(FetchFailure.BAD_REDIRECT, shown + " redirected more than "
                            + settings.maxRedirects() + " times");
                }
                Optional<String> location = response.headers().firstValue("Location");
                URI next = location.map(l -> resolve(response.uri(), l)).orElse(null);
                if (next == null || !isHttp(next) || next.getHost() == null) {
                    return new FetchResult.Failed(FetchFailure.BAD_REDIRECT, shown + " redirected (HTTP " + status
                            + ") without a valid http or https Location");
                }
                current = withoutUserInfo(next);
                continue;
            }
            if (status < 200 || status > 299) {
                return new FetchResult.Failed(FetchFailure.HTTP_STATUS, "HTTP " + status + " from " + shown);
            }
            return new FetchResult.Fetched(response.body());
        }
    }

    private HttpResponse.BodySubscriber<byte[]> bodyHandler(HttpResponse.ResponseInfo info) {
        if (info.statusCode() < 200 || info.statusCode() > 299) {
            return HttpResponse.BodySubscribers.replacing(new byte[0]);
        }
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new LimitedBodySubscriber(settings.maxBytes(), declared);
    }

    private FetchResult timedOut() {
        return new FetchResult.Failed(FetchFailure.TIMEOUT, "no complete answer from " + shown + " within "
                + seconds(settings.requestTimeout()));
    }

    private FetchResult failure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof LimitedBodySubscriber.TooLarge) {
                return new FetchResult.Failed(FetchFailure.TOO_LARGE, "the answer from " + shown
                        + " is larger than " + settings.maxBytes() + " bytes");
            }
            if (t instanceof HttpConnectTimeoutException) {
                return new FetchResult.Failed(FetchFailure.TIMEOUT, "could not connect to " + shown + " within "
                        + seconds(settings.connectTimeout()));
            }
            if (t instanceof HttpTimeoutException) {
                return timedOut();
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof UnresolvedAddressException || t instanceof NoRouteToHostException) {
                return new FetchResult.Failed(FetchFailure.UNREACHABLE, "could not connect to " + shown + " ("
                        + t.getClass().getSimpleName() + ")");
            }
            if (t instanceof SSLException) {
                return new FetchResult.Failed(FetchFailure.UNREACHABLE, "TLS with " + shown + " failed ("
                        + t.getClass().getSimpleName() + ")");
            }
        }
        // Exception messages are not passed on: they may quote the full URL, query and credentials included.
        return new FetchResult.Failed(FetchFailure.UNREACHABLE, "fetching " + shown + " failed ("
                + (error == null ? "unknown error" : error.getClass().getSimpleName()) + ")");
    }

    private static URI resolve(URI base, String location) {
        try {
            return base.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean isHttp(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("http") || scheme.equals("https");
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static URI withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null && uri.getRawFragment() == null) {
            return uri;
        }
        return URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + Objects.toString(uri.getRawPath(), "") + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    /** Scheme, host and port only: credentials, path and query may all be secrets. */
    static String redact(URI uri) {
        String path = uri.getRawPath();
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost()
                + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + (path == null || path.isEmpty() || path.equals("/") ? "" : "/...");
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
