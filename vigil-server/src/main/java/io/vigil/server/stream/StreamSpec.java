package io.vigil.server.stream;

import io.vigil.alerting.impact.WeddingOperation;
import io.vigil.core.Stat;
import io.vigil.server.config.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one subscription asks for: a statistic of one metric (or of a wedding's operation families) over a trailing
 * window, filtered by label equality and optionally grouped. See docs/streams.md.
 *
 * @param metrics the metrics read: one, or for a wedding subscription without {@code metric} every per-wedding family
 * @param filters label name to required value; a wedding subscription adds {@code wedding_id}
 * @param statText the statistic as the client named it (echoed in updates)
 * @param groupBy label names to group by
 * @param window the trailing window, 10 s to {@link #MAX_WINDOW}
 * @param wedding the wedding id of a wedding subscription, else null
 * @param loadTest the run id of a load-test subscription ({@value #LOAD_TEST_LABEL} filter), else null
 */
public record StreamSpec(List<String> metrics, Map<String, String> filters, Stat stat, String statText,
                         List<String> groupBy, Duration window, String wedding, String loadTest) {

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    public static final Duration MAX_WINDOW = Duration.ofHours(1);
    public static final Duration MIN_WINDOW = Duration.ofSeconds(10);
    /**
     * The label with which load tests tag every metric they produce: {@code load_test_run=<run id>}. A subscription's
     * {@code loadTest} filters on it.
     */
    public static final String LOAD_TEST_LABEL = "load_test_run";
    /** Wedding ids and load-test run ids: letters, digits, '_', '.', ':' and '-', 1 to 128 characters. */
    private static final String ID_PATTERN = "[A-Za-z0-9_.:-]{1,128}";
    /** Most label filters and group-by labels a subscription may name. */
    static final int MAX_LABELS = 32;

    /** The per-wedding operation families (docs/calendar.md) a wedding subscription reads, filtered by wedding_id. */
    public static final List<String> WEDDING_FAMILIES = List.of(
            "wedding_guest_list_access_seconds", "wedding_timeline_sync_seconds", "wedding_photo_upload_seconds",
            "wedding_photo_processing_seconds", "wedding_mobile_app_response_seconds", "wedding_guest_checkins_total",
            "wedding_milestone_delay_seconds", "wedding_vendor_ack_seconds", "wedding_emergency_response_seconds");

    public StreamSpec {
        metrics = List.copyOf(metrics);
        filters = Map.copyOf(filters);
        groupBy = List.copyOf(groupBy);
    }

    /** The fields a subscription understands; the rest of an SSE query string are label filters. */
    static final List<String> FIELDS = List.of("metric", "stat", "by", "window", "wedding", "loadTest", "labels");

    /**
     * Reads a subscription from its fields: {@code metric}, {@code stat}, {@code by} (comma-separated text or a list),
     * {@code window} (such as {@code 30s}, {@code 5m}), {@code wedding}, {@code loadTest} (a load-test run id, with
     * {@code metric}), and {@code labels} (an object of label filters).
     *
     * @throws IllegalArgumentException with a message that says what to fix
     */
    public static StreamSpec parse(Map<String, ?> fields) {
        for (String k : fields.keySet()) {
            if (!FIELDS.contains(k)) {
                throw new IllegalArgumentException("unknown subscription field '" + shorten(k) + "'; the fields are "
                        + String.join(", ", FIELDS) + " (label filters go in 'labels')");
            }
        }
        String metric = text(fields, "metric");
        String wedding = text(fields, "wedding");
        String loadTest = text(fields, "loadTest");
        if (loadTest != null && metric == null) {
            throw new IllegalArgumentException("'loadTest' needs 'metric': a load-test stream follows one metric of the"
                    + " run, e.g. {\"metric\": \"http_request_duration_seconds\", \"loadTest\": \"run-42\"}");
        }
        if (metric == null && wedding == null) {
            throw new IllegalArgumentException("'metric' is required (or 'wedding' with a wedding id), "
                    + "e.g. {\"metric\": \"http_request_duration_seconds\", \"stat\": \"p95\"}");
        }
        if (metric != null && !metric.matches("[a-zA-Z_:][a-zA-Z0-9_:.]{0,199}")) {
            throw new IllegalArgumentException("metric '" + shorten(metric) + "' is not a metric name "
                    + "([a-zA-Z_:][a-zA-Z0-9_:.]*, at most 200 characters)");
        }
        String statText = text(fields, "stat");
        if (statText == null) {
            statText = "count";
        }
        Stat stat = Stat.parse(statText);
        Duration window = DEFAULT_WINDOW;
        String windowText = text(fields, "window");
        if (windowText != null) {
            window = windowText.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(windowText))
                    : DurationText.parse("window", windowText);
            if (window.compareTo(MAX_WINDOW) > 0 || window.compareTo(MIN_WINDOW) < 0) {
                throw new IllegalArgumentException("window was '" + shorten(windowText) + "' but it must be from 10s to "
                        + "1h (a trailing window; use GET /api/v1/query for longer ranges)");
            }
        }
        List<String> by = new ArrayList<>();
        Object byValue = fields.get("by");
        if (byValue instanceof String s) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    by.add(part.trim());
                }
            }
        } else if (byValue instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof String s) || s.isBlank()) {
                    throw new IllegalArgumentException("'by' must list label names as strings");
                }
                by.add(s.trim());
            }
        } else if (byValue != null) {
            throw new IllegalArgumentException("'by' must be label names, comma-separated or a list");
        }
        Map<String, String> filters = new LinkedHashMap<>();
        Object labels = fields.get("labels");
        if (labels instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getValue() instanceof String || e.getValue() instanceof Number || e.getValue() instanceof Boolean)) {
                    throw new IllegalArgumentException("label filter '" + shorten(String.valueOf(e.getKey()))
                            + "' must have a string value (equality)");
                }
                filters.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
            }
        } else if (labels != null) {
            throw new IllegalArgumentException("'labels' must be an object of label name to value");
        }
        if (filters.size() > MAX_LABELS || by.size() > MAX_LABELS) {
            throw new IllegalArgumentException("at most " + MAX_LABELS + " label filters and " + MAX_LABELS
                    + " group-by labels");
        }
        if (loadTest != null) {
            if (!loadTest.matches(ID_PATTERN)) {
                throw new IllegalArgumentException("loadTest '" + shorten(loadTest) + "' is not a load-test run id"
                        + " (1 to 128 letters, digits, '_', '.', ':' or '-')");
            }
            String other = filters.get(LOAD_TEST_LABEL);
            if (other != null && !other.equals(loadTest)) {
                throw new IllegalArgumentException("label filter " + LOAD_TEST_LABEL + " '" + shorten(other)
                        + "' contradicts loadTest '" + shorten(loadTest) + "'; give the run in 'loadTest' only");
            }
            filters.put(LOAD_TEST_LABEL, loadTest);
        }
        List<String> metrics;
        if (wedding != null) {
            if (!wedding.matches(ID_PATTERN)) {
                throw new IllegalArgumentException("wedding '" + shorten(wedding) + "' is not a wedding id");
            }
            filters.put("wedding_id", wedding);
            metrics = metric == null ? WEDDING_FAMILIES : List.of(metric);
        } else {
            metrics = List.of(metric);
        }
        return new StreamSpec(metrics, filters, stat, statText.trim().toLowerCase(Locale.ROOT), by, window, wedding,
                loadTest);
    }

    /**
     * Whether the stream is wedding-critical: a wedding subscription, or a metric whose operation
     * ({@link WeddingOperation}) is; never a load-test stream (the test's traffic is not a wedding's). Non-critical
     * streams are throttled to one update a second in peak wedding time.
     */
    public boolean weddingCritical() {
        if (loadTest != null) {
            return false;
        }
        if (wedding != null) {
            return true;
        }
        return WeddingOperation.of(metrics.get(0), filters).weddingCritical();
    }

    /** The metric as updates name it: the metric, or {@code null} for a wedding subscription over every family. */
    public String metricName() {
        return metrics.size() == 1 ? metrics.get(0) : null;
    }

    /** The window as text, such as {@code 60s}. */
    public String windowText() {
        return window.toSeconds() + "s";
    }

    private static String text(Map<String, ?> fields, String name) {
        Object v = fields.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("'" + name + "' must be a string");
        }
        return s.isBlank() ? null : s.trim();
    }

    static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
