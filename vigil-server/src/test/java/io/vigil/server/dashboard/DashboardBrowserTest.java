package io.vigil.server.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real Chromium (Playwright) against a real server on the system clock: sign-in, a metric ingested
 * during the test on a live chart, an alert raised during the test acknowledged from the page, a wedding report.
 * Screenshots go to {@code target/screenshots/}.
 */
class DashboardBrowserTest {
    static final String ADMIN_KEY = "dashboard-admin-key";
    static final String READ_KEY = "dashboard-read-key";
    static Browsers browsers;

    @TempDir
    Path dir;
    VigilServer server;
    BrowserContext context;
    Page page;
    String testName;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void launch() {
        browsers = Browsers.launch();
    }

    @AfterAll
    static void quit() {
        if (browsers != null) {
            browsers.close();
        }
    }

    @BeforeEach
    void start(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
        VigilConfig config = new VigilConfig(null, null, new VigilConfig.Auth(List.of(
                new VigilConfig.ApiKeyConfig("ops", ADMIN_KEY, null, null, List.of("admin")),
                new VigilConfig.ApiKeyConfig("wall-screen", READ_KEY, null, null, List.of("read")))), null);
        server = VigilServer.start(dir, config, "127.0.0.1", 0, Map.of(), Clock.systemUTC());
        context = browsers.browser().newContext(new Browser.NewContextOptions().setViewportSize(1400, 1000));
        page = context.newPage();
    }

    @AfterEach
    void stop() {
        if (page != null) {
            page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                    .setPath(Path.of("target", "screenshots", testName + ".png")));
        }
        if (context != null) {
            context.close();
        }
        if (server != null) {
            server.close();
        }
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    void signIn(String key) {
        page.navigate(base() + "/");
        page.locator("#key").fill(key);
        page.locator("#login-form button[type=submit]").click();
        assertThat(page.locator("#app")).isVisible();
    }

    int post(String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return r.statusCode();
    }

    static String latencies(String metric, String labels, double... seconds) {
        StringBuilder obs = new StringBuilder();
        for (double s : seconds) {
            obs.append(obs.isEmpty() ? "" : ",").append(s);
        }
        return "{\"metrics\": [{\"name\": \"" + metric + "\", \"type\": \"latency\", \"labels\": " + labels
                + ", \"observations\": [" + obs + "]}]}";
    }

    /** A wedding under way now in UTC: its ceremony started 30 minutes ago. */
    void weddingUnderWay(String id) throws Exception {
        LocalDateTime ceremony = LocalDateTime.ofInstant(Instant.now().minus(30, ChronoUnit.MINUTES), ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.MINUTES);
        post("/api/v1/weddings", "{\"id\": \"" + id + "\", \"timeZone\": \"UTC\", \"ceremonyStart\": \"" + ceremony
                + "\", \"receptionEnd\": \"" + ceremony.plusHours(6) + "\", \"guestCount\": 140, \"venue\": \"Kew\"}");
    }

    @Test
    void pageLoads_refusesAWrongKey_andShowsTheWeddingContext() throws Exception {
        weddingUnderWay("kew-1");
        page.navigate(base() + "/");
        assertThat(page.locator("#login")).isVisible();
        assertThat(page.locator("#app")).isHidden();

        page.locator("#key").fill("not-a-key");
        page.locator("#login-form button[type=submit]").click();
        assertThat(page.locator("#login-error")).hasText("This key was not accepted.");

        page.locator("#key").fill(READ_KEY);
        page.locator("#login-form button[type=submit]").click();
        assertThat(page.locator("#who-role")).hasText("read-only");
        assertThat(page.locator("#ctx-active")).hasText("1");
        assertThat(page.locator("#live")).hasText("live");
        assertThat(page.locator("#weddings-today tr[data-wedding='kew-1']")).isVisible();
        // No data yet: the charts are hidden rather than drawn empty, and so are views without data.
        assertThat(page.locator("#chart-latency")).isHidden();
        assertThat(page.locator("#integrations-view")).isHidden();
        assertThat(page.locator("#alerts-none")).isVisible();
    }

    @Test
    void aMetricIngestedDuringTheTest_appearsOnALiveChart_andMoves() throws Exception {
        signIn(READ_KEY);
        assertThat(page.locator("#live")).hasText("live");
        Locator chart = page.locator("#chart-latency");
        assertThat(chart).isHidden();

        String labels = "{\"route\": \"/guests\", \"method\": \"GET\", \"status\": \"200\"}";
        post("/api/v1/metrics", latencies("http_server_request_duration_seconds", labels, 0.2, 0.2, 0.2, 0.2));
        assertThat(chart).isVisible();
        assertThat(chart.locator("[data-stat=p95]")).hasText(Pattern.compile("p95 (199|200|201|202) ms"));
        assertThat(chart.locator("canvas")).hasCount(1);
        int before = Integer.parseInt(chart.getAttribute("data-points"));

        post("/api/v1/metrics", latencies("http_server_request_duration_seconds", labels, 3, 3, 3, 3, 3, 3, 3, 3));
        // The p95 of the trailing minute (4 x 0.2 s, 8 x 3 s) moves from 200 ms to 3 s (DDSketch: within 1 %).
        assertThat(chart.locator("[data-stat=p95]")).hasText(Pattern.compile("p95 (2\\.9[7-9]|3\\.0[0-3]) s"));
        assertThat(Integer.parseInt(chart.getAttribute("data-points"))).isGreaterThan(before);
    }

    @Test
    void anAlertRaisedDuringTheTest_appears_andAnAdminAcknowledgesIt() throws Exception {
        weddingUnderWay("kew-2");
        signIn(ADMIN_KEY);
        assertThat(page.locator("#who-role")).hasText("admin");
        assertThat(page.locator("#alerts-none")).isVisible();

        // Photo uploads averaging 12 s during an active wedding: the default critical rule pages (P0) at once.
        double[] slow = new double[30];
        java.util.Arrays.fill(slow, 12);
        post("/api/v1/metrics", latencies("wedding_photo_upload_seconds",
                "{\"wedding_id\": \"kew-2\", \"client\": \"mobile\", \"status\": \"200\"}", slow));

        Locator row = page.locator("#alerts tbody tr").filter(new Locator.FilterOptions().setHasText("photo"));
        assertThat(row.first()).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                .setTimeout(15_000));
        assertThat(row.first().locator(".badge")).hasText("P0");
        assertThat(row.first()).containsText("kew-2");
        row.first().locator("button.ack").click();
        assertThat(row.first()).containsText("acknowledged by ops");
        assertThat(row.first().locator("button.ack")).hasCount(0);
    }

    @Test
    void aReadOnlyKey_seesAlertsWithoutAnAcknowledgeButton() throws Exception {
        weddingUnderWay("kew-3");
        double[] slow = new double[30];
        java.util.Arrays.fill(slow, 12);
        post("/api/v1/metrics", latencies("wedding_photo_upload_seconds",
                "{\"wedding_id\": \"kew-3\", \"client\": \"mobile\", \"status\": \"200\"}", slow));
        signIn(READ_KEY);
        Locator row = page.locator("#alerts tbody tr").first();
        assertThat(row).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                .setTimeout(15_000));
        assertThat(row.locator("button.ack")).hasCount(0);
    }

    @Test
    void aWeddingsReportOpens() throws Exception {
        weddingUnderWay("kew-4");
        Instant now = Instant.now();
        Instant planned = now.minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        post("/api/v1/weddings/kew-4/events", "{\"events\": ["
                + "{\"id\": \"p1\", \"type\": \"milestone_planned\", \"name\": \"ceremony\", \"at\": \"" + planned + "\"},"
                + "{\"id\": \"r1\", \"type\": \"milestone_reached\", \"name\": \"ceremony\", \"at\": \""
                + planned.plus(5, ChronoUnit.MINUTES) + "\"}]}");
        signIn(READ_KEY);
        page.locator("#weddings-today tr[data-wedding='kew-4']").click();
        Locator report = page.locator("#report");
        assertThat(report).isVisible();
        assertThat(report.locator("#report-title")).hasText("Wedding kew-4");
        assertThat(report).containsText("140 guests");
        assertThat(report.locator("table.milestones")).containsText("ceremony");
        assertThat(report.locator("table.milestones")).containsText("5 min");
    }

    @Test
    void anExporter_appearsInTheIntegrationView_withItsHealth() throws Exception {
        assertThat(page.locator("#integrations-view")).isHidden();
        server.close();
        VigilConfig config = new VigilConfig(null, null, new VigilConfig.Auth(List.of(
                new VigilConfig.ApiKeyConfig("ops", ADMIN_KEY, null, null, List.of("admin")))), null, null, null,
                new io.vigil.export.config.ExportConfig(null, null, null, null, null, null,
                        new io.vigil.export.config.ExportConfig.Otlp(true, "http://127.0.0.1:9", null, null, null),
                        null, null));
        server = VigilServer.start(dir.resolve("with-exporter"), config, "127.0.0.1", 0, Map.of(),
                Clock.systemUTC());
        signIn(ADMIN_KEY);
        Locator row = page.locator("#integrations tr[data-integration='exporter:otlp']");
        assertThat(row).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                .setTimeout(15_000));
        assertThat(row).containsText("otlp (export)");
        assertThat(row).containsText("0 sent, backlog 0");
    }

    @Test
    void theDemo_showsItsSaturday_withEveryMainChartMoving() throws Exception {
        URI uri = URI.create(base());
        io.vigil.server.demo.WeddingTraffic traffic = new io.vigil.server.demo.WeddingTraffic(uri, ADMIN_KEY, 1L);
        Instant now = Instant.now();
        io.vigil.server.demo.DemoCalendar calendar = new io.vigil.server.demo.DemoCalendar(uri, ADMIN_KEY, now, 7L);
        calendar.load();
        java.util.SplittableRandom random = new java.util.SplittableRandom(3L);
        for (long t = now.toEpochMilli() - 5 * 60_000L; t < now.toEpochMilli(); t += 10_000) {
            traffic.send(t, 10);
            calendar.sendMetrics(Instant.ofEpochMilli(t), 10, random);
        }
        signIn(READ_KEY);
        List<String> mainCharts = List.of("latency", "errors", "traffic", "photo", "guests");
        for (String id : mainCharts) {
            assertThat(page.locator("#chart-" + id)).isVisible();
        }
        assertThat(page.locator("#ctx-active")).hasText(String.valueOf(calendar.activeAt(Instant.now()).size()));
        assertThat(page.locator("#weddings-today tbody tr")).not().hasCount(0);
        Map<String, Integer> before = new java.util.HashMap<>();
        for (String id : mainCharts) {
            before.put(id, Integer.parseInt(page.locator("#chart-" + id).getAttribute("data-points")));
        }

        // Live traffic as the demo sends it: every chart takes new points.
        for (int i = 0; i < 3; i++) {
            long t = System.currentTimeMillis();
            traffic.send(t, 2);
            calendar.sendMetrics(Instant.ofEpochMilli(t), 2, random);
            Thread.sleep(500);
        }
        for (String id : mainCharts) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Integer.parseInt(page.locator("#chart-" + id).getAttribute("data-points")) <= before.get(id)) {
                assertThat(System.nanoTime()).as("chart " + id + " takes live points").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }
}
