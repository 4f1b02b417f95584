package io.vigil.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Realistic, deterministic label sets for synthetic series, shared by the load generator and the JMH benchmarks.
 *
 * <p>Series {@code i} has {@code __name__}, a unique {@code series} label ({@code s<i>}) and, depending on the label
 * count, {@code job} (4 services), {@code instance} (200 hosts), {@code route} (50 routes), {@code status} (mostly
 * 200), {@code method}, {@code region}, {@code zone}, {@code env}, {@code version}, {@code pod}. Names are sorted by
 * byte order as remote write requires ({@code __name__} first: {@code '_'} is 0x5F, below every lowercase letter).
 */
public final class SeriesLabels {
    /** Labels besides {@code __name__} and {@code series}, in the order they are added as the count grows. */
    private static final String[] OPTIONAL = {"job", "instance", "route", "status", "method", "region", "zone", "env",
        "version", "pod", "team", "tier"};
    /** The smallest and largest total label count (including {@code __name__} and {@code series}). */
    public static final int MIN_LABELS = 2;
    public static final int MAX_LABELS = OPTIONAL.length + 2;
    /** The load generator's default: __name__, instance, job, route, series, status. */
    public static final int DEFAULT_LABELS = 6;

    private static final String[] JOBS = {"wedding-api", "guest-service", "seating-planner", "vendor-gateway"};
    private static final String[] RESOURCES = {"weddings", "guests", "tables", "vendors", "invitations", "menus",
        "photos", "payments", "timelines", "venues"};
    private static final String[] SUBPATHS = {"", "/{id}", "/{id}/guests", "/{id}/timeline", "/search"};
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
    private static final String[] REGIONS = {"eu-west-1", "eu-central-1", "us-east-1"};

    private SeriesLabels() {}

    /** The label names and values of series {@code i} (without the metric name), sorted by name in byte order. */
    public static String[][] of(long i, int totalLabels) {
        if (totalLabels < MIN_LABELS || totalLabels > MAX_LABELS) {
            throw new IllegalArgumentException("label count was " + totalLabels + " but it must be between "
                    + MIN_LABELS + " and " + MAX_LABELS + " (including __name__ and series)");
        }
        int extra = totalLabels - 2;
        String[] names = new String[extra + 1];
        String[] values = new String[extra + 1];
        for (int k = 0; k < extra; k++) {
            names[k] = OPTIONAL[k];
            values[k] = value(OPTIONAL[k], i);
        }
        names[extra] = "series";
        values[extra] = "s" + i;
        sortByBytes(names, values);
        return new String[][] {names, values};
    }

    private static String value(String name, long i) {
        int h = (int) (i ^ (i >>> 32));
        return switch (name) {
            case "job" -> JOBS[Math.floorMod(h, JOBS.length)];
            case "instance" -> "10.0." + Math.floorMod(h / 7, 200) / 100 + "." + Math.floorMod(h / 7, 100) + ":9100";
            case "route" -> {
                int r = Math.floorMod(h / 3, RESOURCES.length * SUBPATHS.length);
                yield "/api/v1/" + RESOURCES[r / SUBPATHS.length] + SUBPATHS[r % SUBPATHS.length];
            }
            case "status" -> switch (Math.floorMod(h / 11, 20)) {
                case 16 -> "201";
                case 17 -> "404";
                case 18 -> "500";
                case 19 -> "304";
                default -> "200";
            };
            case "method" -> METHODS[Math.floorMod(h / 13, METHODS.length)];
            case "region" -> REGIONS[Math.floorMod(h / 17, REGIONS.length)];
            case "zone" -> "abc".charAt(Math.floorMod(h / 19, 3)) + "";
            case "env" -> "prod";
            case "version" -> "1.4." + Math.floorMod(h / 23, 7);
            case "pod" -> "pod-" + Integer.toHexString(Math.floorMod(h * 0x9E3779B1, 1 << 20));
            case "team" -> "team-" + Math.floorMod(h / 29, 12);
            case "tier" -> Math.floorMod(h / 31, 4) == 0 ? "critical" : "standard";
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Sorts name/value pairs by the UTF-8 bytes of the name (unsigned), as Prometheus does. */
    static void sortByBytes(String[] names, String[] values) {
        Integer[] order = new Integer[names.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(names[a].getBytes(StandardCharsets.UTF_8),
                names[b].getBytes(StandardCharsets.UTF_8)));
        String[] n = new String[names.length];
        String[] v = new String[names.length];
        for (int k = 0; k < order.length; k++) {
            n[k] = names[order[k]];
            v[k] = values[order[k]];
        }
        System.arraycopy(n, 0, names, 0, n.length);
        System.arraycopy(v, 0, values, 0, v.length);
    }

    /**
     * The name of metric {@code m} of {@code count} metrics derived from {@code base}: the base itself when there is
     * one metric, otherwise the index inserted before a {@code _total} suffix ({@code bench_requests_3_total}) so the
     * counter convention is kept, or appended ({@code bench_queue_depth_3}).
     */
    public static String metricName(String base, int m, int count) {
        if (count == 1) {
            return base;
        }
        return base.endsWith("_total") ? base.substring(0, base.length() - 6) + "_" + m + "_total" : base + "_" + m;
    }
}
