package io.vigil.export.prometheus;

import io.vigil.core.Aggregate;
import io.vigil.core.MetricKind;
import io.vigil.export.ExportPoint;
import io.vigil.export.ExportTags;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil's metrics for Prometheus to scrape at {@code GET /metrics}, in the text format 0.0.4 (docs/export/prometheus.md,
 * INTEGRATIONS.md 2.9). A local consumer of the {@link io.vigil.export.ExportService}: it keeps state from the settled
 * 10-second points it is given and renders it when a scrape comes.
 *
 * <ul>
 *   <li>Counters and deltas are {@code counter} families named with {@code _total}, their totals cumulative since
 *       the exposition started (a restart is a counter reset, which {@code rate()} handles). A negative count (an
 *       up-down delta) is not added: a Prometheus counter never decreases.
 *   <li>Gauges are {@code gauge} families with the last value of the newest point.
 *   <li>Distributions and histograms are {@code summary} families: {@code quantile="0.5"}, {@code "0.9"},
 *       {@code "0.95"}, {@code "0.99"} over the most recent exported minute (the points of the last six 10-second
 *       buckets merged, DDSketch's 1 % accuracy; {@code NaN} when the series had none), and {@code _sum} and
 *       {@code _count} since the exposition started.
 *   <li>The wedding context is not a label of these series: its values change during the day, and a label that
 *       changes starts a new series, which would split a counter's total across series that each look like a reset to
 *       {@code rate()}, break every graph at each change and multiply the series by up to 20. It is exposed once, as
 *       {@code vigil_wedding_context{wedding_season, wedding_peak_time, estimated_wedding_load} 1} (the context of the
 *       newest exported bucket) with {@code vigil_wedding_season}, {@code vigil_wedding_peak_time} (0 or 1) and
 *       {@code vigil_wedding_load_band} (0 none .. 4 extreme) as numbers; a query joins it where it needs it with
 *       {@code * on() group_left(wedding_season, wedding_peak_time, estimated_wedding_load) vigil_wedding_context}.
 *   <li>At most {@code maxSeries} series (a summary's label set counts once): past it, new series are not added and
 *       {@code vigil_exposition_series_dropped_total{reason="limit"}} counts them, each once while it keeps being
 *       refused (exact up to {@code maxSeries} distinct refused series, more are counted at every batch). A series
 *       whose name would clash with another family's samples (a gauge {@code x_total} and a counter {@code x}, a gauge
 *       {@code y_sum} and a summary {@code y}, or one of the names of this class) is refused the same way with
 *       {@code reason="name_conflict"}; the first family keeps the name.
 *   <li>A series not updated for {@code forgetAfter} (default 15 minutes) is forgotten, and so is a context not
 *       updated for as long.
 * </ul>
 *
 * <p>Names are made valid: metric names to {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, label names to
 * {@code [a-zA-Z_][a-zA-Z0-9_]*} (other characters become {@code _}; a label {@code quantile} of a summary becomes
 * {@code exported_quantile}); series whose labels become equal are combined. Label values are escaped.
 *
 * <p>Vigil's own health gauges join with {@link #register}: the suppliers are read at every render and their families
 * rendered after the exported ones, those whose names are taken skipped.
 *
 * <p>Memory: a summary series keeps up to six copies of a bucket's aggregate (a DDSketch of 0.5 to 4 KiB for latencies
 * between 1 ms and 10 s), so 1,000 summary series hold about 3 to 24 MiB; counters and gauges take about 200 bytes a
 * series.
 *
 * <p>Thread-safe: points arrive on the export thread while scrapes render on HTTP threads; a render builds the text
 * under a lock (a few milliseconds for 10,000 series) and writes it to the caller's output after releasing it.
 */
public final class PrometheusExposition implements Consumer<List<ExportPoint>> {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusExposition.class);

    /** The {@code Content-Type} of {@link #render()}'s text. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The default cap on the series exposed. */
    public static final int DEFAULT_MAX_SERIES = 10_000;
    /** The default time after which a series not updated is forgotten. */
    public static final Duration DEFAULT_FORGET_AFTER = Duration.ofMinutes(15);
    /** The span of the summaries' quantiles: the most recent exported minute (six 10-second buckets). */
    public static final Duration QUANTILE_WINDOW = Duration.ofMinutes(1);

    static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99};
    private static final String[] QUANTILE_TEXT = {"0.5", "0.9", "0.95", "0.99"};

    static final String CONTEXT = "vigil_wedding_context";
    static final String SEASON = "vigil_wedding_season";
    static final String PEAK_TIME = "vigil_wedding_peak_time";
    static final String LOAD_BAND = "vigil_wedding_load_band";
    static final String SERIES = "vigil_exposition_series";
    static final String SERIES_LIMIT = "vigil_exposition_series_limit";
    static final String DROPPED = "vigil_exposition_series_dropped_total";
    /** The names this class renders itself; no exported metric may take them. */
    static final List<String> OWN_NAMES = List.of(CONTEXT, SEASON, PEAK_TIME, LOAD_BAND, SERIES, SERIES_LIMIT,
            DROPPED);
    /** The load bands of {@link ExportTags#band} in order: {@code vigil_wedding_load_band} is the index. */
    static final List<String> BANDS = List.of("none", "low", "moderate", "high", "extreme");

    private enum Type {
        COUNTER, GAUGE, SUMMARY;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final int maxSeries;
    private final long forgetAfterMillis;
    private final Clock clock;
    private final List<Supplier<List<Family>>> collectors = new CopyOnWriteArrayList<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    private final Object lock = new Object();
    // guarded by lock
    private final Map<String, FamilyState> families = new TreeMap<>();
    /** Sample names taken (a summary takes its name, {@code _sum} and {@code _count}) and the family taking each. */
    private final Map<String, String> claimed = new HashMap<>();
    /** Series refused, by when they last came, so that each is counted once while it keeps coming. */
    private final Map<Refused, Long> refused = new HashMap<>();
    private int seriesCount;
    private long droppedLimit;
    private long droppedConflict;
    private long exportedUntil = Long.MIN_VALUE;
    private ExportTags context;
    private long contextAt = Long.MIN_VALUE;
    private long contextTouched;

    /** With the defaults: 10,000 series, forgotten after 15 minutes, the system clock. */
    public PrometheusExposition() {
        this(DEFAULT_MAX_SERIES, DEFAULT_FORGET_AFTER, Clock.systemUTC());
    }

    /**
     * @param maxSeries the most series exposed (1 or more)
     * @param forgetAfter how long a series stays without updates before it is forgotten (positive)
     * @param clock tells when series were updated
     * @throws IllegalArgumentException if {@code maxSeries} or {@code forgetAfter} is out of range
     */
    public PrometheusExposition(int maxSeries, Duration forgetAfter, Clock clock) {
        if (maxSeries < 1) {
            throw new IllegalArgumentException("maxSeries was " + maxSeries + " but it must be at least 1");
        }
        if (forgetAfter.isNegative() || forgetAfter.isZero()) {
            throw new IllegalArgumentException("forgetAfter was " + forgetAfter + " but it must be positive");
        }
        this.maxSeries = maxSeries;
        this.forgetAfterMillis = forgetAfter.toMillis();
        this.clock = clock;
        for (String own : OWN_NAMES) {
            claimed.put(own, own);
        }
    }

    /**
     * Adds a supplier of families rendered at every scrape after the exported ones, for Vigil's own health. It is
     * called on the scraping thread and should answer quickly; one that throws is skipped for that scrape (logged).
     * A family whose name is taken by an exported metric, this class's own families or an earlier supplied family is
     * skipped (logged once per name).
     */
    public void register(Supplier<List<Family>> collector) {
        collectors.add(collector);
    }

    /**
     * Takes in a batch of exported points (the export thread calls it after each read). Never throws: a point that
     * cannot be added is skipped and logged once per metric.
     */
    @Override
    public void accept(List<ExportPoint> points) {
        long now = clock.millis();
        synchronized (lock) {
            long newest = exportedUntil;
            for (ExportPoint p : points) {
                try {
                    add(p, now);
                } catch (RuntimeException e) {
                    // Never thrown back: the export service would repeat the whole round for every exporter.
                    if (warned.add("point " + p.metric())) {
                        LOG.warn("a point of {} could not be added to /metrics and is skipped: {}", p.metric(),
                                e.toString());
                    }
                    continue;
                }
                newest = Math.max(newest, p.endMillis());
                if (p.tags() != null && p.endMillis() >= contextAt) {
                    context = p.tags();
                    contextAt = p.endMillis();
                    contextTouched = now;
                }
            }
            exportedUntil = newest;
            forget(now);
            slideWindows();
        }
    }

    /** The text to answer a scrape with (ends with a line feed). */
    public String render() {
        List<Family> extra = collect();
        StringBuilder out = new StringBuilder(4_096);
        synchronized (lock) {
            forget(clock.millis());
            renderExported(out);
            renderOwn(out);
            renderExtra(extra, out);
        }
        return out.toString();
    }

    /**
     * Writes {@link #render()}'s text to {@code out} (the lock is not held while writing, so a slow client holds up
     * no one).
     *
     * @throws IOException if {@code out} fails
     */
    public void render(Appendable out) throws IOException {
        out.append(render());
    }

    /** How many series are exposed now. */
    public int seriesCount() {
        synchronized (lock) {
            return seriesCount;
        }
    }

    /** How many series were refused so far (the limit and name conflicts together). */
    public long seriesDropped() {
        synchronized (lock) {
            return droppedLimit + droppedConflict;
        }
    }

    private static Type typeOf(MetricKind kind) {
        return switch (kind) {
            case COUNTER, DELTA -> Type.COUNTER;
            case GAUGE -> Type.GAUGE;
            case DISTRIBUTION, HISTOGRAM -> Type.SUMMARY;
        };
    }

    /** The exposed name: valid, with {@code _total} for a counter. */
    private static String familyName(String raw, Type type) {
        String name = TextFormat.metricName(raw);
        return type == Type.COUNTER && !name.endsWith("_total") ? name + "_total" : name;
    }

    private static List<String> sampleNames(String family, Type type) {
        return type == Type.SUMMARY ? List.of(family, family + "_sum", family + "_count") : List.of(family);
    }

    private void add(ExportPoint p, long now) {
        Type type = typeOf(p.kind());
        String name = familyName(p.metric(), type);
        String labels = TextFormat.labelBody(TextFormat.labels(p.labels(), type == Type.SUMMARY ? "quantile" : null));
        FamilyState family = families.get(name);
        if (family == null ? !free(name, type) : family.type != type) {
            refuse(new Refused(name, type, labels), now, true);
            return;
        }
        Series s = family == null ? null : family.series.get(labels);
        if (s == null) {
            if (seriesCount >= maxSeries) {
                refuse(new Refused(name, type, labels), now, false);
                return;
            }
            if (family == null) {
                family = new FamilyState(name, type, help(p.metric(), p.kind(), type));
                families.put(name, family);
                for (String sample : sampleNames(name, type)) {
                    claimed.put(sample, name);
                }
            }
            s = new Series(labels);
            family.series.put(labels, s);
            seriesCount++;
            if (!refused.isEmpty()) {
                refused.remove(new Refused(name, type, labels));
            }
        }
        s.update(p, type, now);
    }

    private boolean free(String name, Type type) {
        for (String sample : sampleNames(name, type)) {
            if (claimed.containsKey(sample)) {
                return false;
            }
        }
        return true;
    }

    private void refuse(Refused r, long now, boolean conflict) {
        boolean known = refused.containsKey(r);
        if (known || refused.size() < maxSeries) {
            refused.put(r, now);
        }
        if (!known) {
            if (conflict) {
                droppedConflict++;
            } else {
                droppedLimit++;
            }
        }
    }

    private static String help(String metric, MetricKind kind, Type type) {
        String what = "Vigil metric " + metric + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + ")";
        return switch (type) {
            case COUNTER -> what + ", total since the exposition started.";
            case GAUGE -> what + ", last value.";
            case SUMMARY -> what + ": quantiles over the last exported minute, sum and count since the exposition "
                    + "started.";
        };
    }

    /** Forgets the series, refusals and context not updated for {@code forgetAfter}. */
    private void forget(long now) {
        long before = now - forgetAfterMillis;
        for (Iterator<FamilyState> it = families.values().iterator(); it.hasNext(); ) {
            FamilyState f = it.next();
            int was = f.series.size();
            f.series.values().removeIf(s -> s.touched < before);
            seriesCount -= was - f.series.size();
            if (f.series.isEmpty()) {
                it.remove();
                for (String sample : sampleNames(f.name, f.type)) {
                    claimed.remove(sample);
                }
            }
        }
        refused.values().removeIf(t -> t < before);
        if (context != null && contextTouched < before) {
            context = null;
        }
    }

    /** Drops the buckets older than the last exported minute from every summary and recomputes what changed. */
    private void slideWindows() {
        long from = exportedUntil - QUANTILE_WINDOW.toMillis();
        for (FamilyState f : families.values()) {
            if (f.type != Type.SUMMARY) {
                continue;
            }
            for (Series s : f.series.values()) {
                Map<Long, Aggregate> old = s.window.headMap(from, false);
                if (!old.isEmpty()) {
                    old.clear();
                    s.dirty = true;
                }
                if (s.dirty) {
                    s.recomputeQuantiles();
                }
            }
        }
    }

    private void renderExported(StringBuilder out) {
        for (FamilyState f : families.values()) {
            header(out, f.name, f.type, f.help);
            for (Series s : f.series.values()) {
                switch (f.type) {
                    case COUNTER, GAUGE -> line(out, f.name, s.labels, null, s.value);
                    case SUMMARY -> {
                        for (int i = 0; i < QUANTILES.length; i++) {
                            line(out, f.name, s.labels, QUANTILE_TEXT[i], s.quantiles[i]);
                        }
                        line(out, f.name + "_sum", s.labels, null, s.sum);
                        line(out, f.name + "_count", s.labels, null, s.count);
                    }
                }
            }
        }
    }

    private void renderOwn(StringBuilder out) {
        if (context != null) {
            header(out, CONTEXT, Type.GAUGE, "The wedding context of the newest exported 10-second bucket as labels "
                    + "(always 1); join it with * on() group_left(wedding_season, wedding_peak_time, "
                    + "estimated_wedding_load) vigil_wedding_context.");
            line(out, CONTEXT, TextFormat.labelBody(new TreeMap<>(context.asMap())), null, 1);
            header(out, SEASON, Type.GAUGE, "1 during wedding season (docs/calendar.md), else 0.");
            line(out, SEASON, "", null, context.weddingSeason() ? 1 : 0);
            header(out, PEAK_TIME, Type.GAUGE, "1 at wedding peak time (docs/calendar.md), else 0.");
            line(out, PEAK_TIME, "", null, context.peakTime() ? 1 : 0);
            header(out, LOAD_BAND, Type.GAUGE, "The estimated wedding load as a band: 0 none, 1 low (under 500), "
                    + "2 moderate (under 2000), 3 high (under 10000), 4 extreme.");
            int band = BANDS.indexOf(context.loadBand());
            line(out, LOAD_BAND, "", null, band < 0 ? Double.NaN : band);
        }
        header(out, SERIES, Type.GAUGE, "Series exposed at /metrics now.");
        line(out, SERIES, "", null, seriesCount);
        header(out, SERIES_LIMIT, Type.GAUGE, "The most series exposed at /metrics.");
        line(out, SERIES_LIMIT, "", null, maxSeries);
        header(out, DROPPED, Type.COUNTER, "Series not exposed at /metrics: past the limit, or whose name clashes "
                + "with another family's.");
        line(out, DROPPED, "reason=\"limit\"", null, droppedLimit);
        line(out, DROPPED, "reason=\"name_conflict\"", null, droppedConflict);
    }

    private List<Family> collect() {
        List<Family> out = new ArrayList<>();
        for (Supplier<List<Family>> c : collectors) {
            try {
                List<Family> got = c.get();
                if (got != null) {
                    out.addAll(got);
                }
            } catch (RuntimeException e) {
                LOG.warn("a /metrics family supplier failed, its families are left out of this scrape: {}",
                        e.toString());
            }
        }
        return out;
    }

    private void renderExtra(List<Family> extra, StringBuilder out) {
        Set<String> used = new HashSet<>(claimed.keySet());
        for (Family f : extra) {
            Type type = f.type() == Family.Type.COUNTER ? Type.COUNTER : Type.GAUGE;
            String name = familyName(f.name(), type);
            if (!used.add(name)) {
                if (warned.add(name)) {
                    LOG.warn("supplied /metrics family {} is skipped: the name is taken", name);
                }
                continue;
            }
            header(out, name, type, f.help() == null ? name : f.help());
            Set<String> seen = new HashSet<>();
            for (Family.Sample s : f.samples()) {
                String labels = TextFormat.labelBody(TextFormat.labels(s.labels(), null));
                if (seen.add(labels)) {
                    line(out, name, labels, null, s.value());
                }
            }
        }
    }

    private static void header(StringBuilder out, String name, Type type, String help) {
        out.append("# HELP ").append(name).append(' ').append(TextFormat.help(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type.wire()).append('\n');
    }

    private static void line(StringBuilder out, String name, String labels, String quantile, double value) {
        out.append(name);
        if (!labels.isEmpty() || quantile != null) {
            out.append('{').append(labels);
            if (quantile != null) {
                out.append(labels.isEmpty() ? "" : ",").append("quantile=\"").append(quantile).append('"');
            }
            out.append('}');
        }
        out.append(' ');
        TextFormat.value(value, out);
        out.append('\n');
    }

    private record Refused(String family, Type type, String labels) {}

    private static final class FamilyState {
        final String name;
        final Type type;
        final String help;
        /** By their rendered labels, so that a render lists them sorted. */
        final TreeMap<String, Series> series = new TreeMap<>();

        FamilyState(String name, Type type, String help) {
            this.name = name;
            this.type = type;
            this.help = help;
        }
    }

    private static final class Series {
        final String labels;
        long touched;
        /** A counter's total or a gauge's value. */
        double value;
        long valueAt = Long.MIN_VALUE;
        double sum;
        long count;
        /** A summary's recent buckets by start: copies, combined when two points share a bucket. */
        final TreeMap<Long, Aggregate> window = new TreeMap<>();
        final double[] quantiles = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        boolean dirty;

        Series(String labels) {
            this.labels = labels;
        }

        void update(ExportPoint p, Type type, long now) {
            touched = now;
            switch (type) {
                case COUNTER -> {
                    double c = p.count();
                    if (c > 0 && Double.isFinite(c)) {
                        value += c;
                    }
                }
                case GAUGE -> {
                    if (p.endMillis() >= valueAt) {
                        value = p.aggregate().lastValue();
                        valueAt = p.endMillis();
                    }
                }
                case SUMMARY -> {
                    Aggregate a = p.aggregate();
                    sum += a.sum();
                    count += a.observations();
                    Aggregate known = window.get(p.startMillis());
                    if (known == null) {
                        window.put(p.startMillis(), a.copy());
                    } else {
                        known.combine(a);
                    }
                    dirty = true;
                }
            }
        }

        void recomputeQuantiles() {
            Aggregate merged = new Aggregate();
            for (Aggregate a : window.values()) {
                merged.combine(a);
            }
            for (int i = 0; i < QUANTILES.length; i++) {
                quantiles[i] = merged.observations() == 0 ? Double.NaN : merged.quantile(QUANTILES[i]);
            }
            dirty = false;
        }
    }
}
