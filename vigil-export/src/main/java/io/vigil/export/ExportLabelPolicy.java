package io.vigil.export;

import io.vigil.core.Labels;
import io.vigil.core.privacy.PersonalData;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which labels leave Vigil with an exported point, and how many label sets a metric may have on a far side. Dropped
 * labels (by default {@code wedding_id} and {@code load_test_run}, whose values grow without bound) are combined away;
 * a value that looks like personal data or a secret (an email address, a phone number, a long token) goes out as
 * {@code [redacted]}; past {@code maxSeriesPerMetric} label sets, the new ones of a metric are combined into one set
 * {@code {vigil_overflow="true"}} so that totals stay right while the far side's series stay bounded. Thread-safe.
 */
public final class ExportLabelPolicy {
    /** Labels never exported unless configured otherwise: their values are unbounded. */
    public static final Set<String> DEFAULT_DROPPED = Set.of("wedding_id", "load_test_run");
    /** The label set of the points combined past a metric's limit. */
    public static final Map<String, String> OVERFLOW = Map.of("vigil_overflow", "true");

    private final Set<String> dropped;
    private final int maxSeriesPerMetric;
    /** Per metric, the label sets exported so far, each mapped to itself (so that equal sets share one instance). */
    private final Map<String, Map<Map<String, String>, Map<String, String>>> seen = new ConcurrentHashMap<>();
    private final AtomicLong overflowed = new AtomicLong();
    private final AtomicLong redacted = new AtomicLong();

    /**
     * @param dropped label names never exported
     * @param maxSeriesPerMetric the most label sets exported per metric (1 or more)
     */
    public ExportLabelPolicy(Set<String> dropped, int maxSeriesPerMetric) {
        if (maxSeriesPerMetric < 1) {
            throw new IllegalArgumentException("maxSeriesPerMetric must be at least 1 but was " + maxSeriesPerMetric);
        }
        this.dropped = Set.copyOf(dropped);
        this.maxSeriesPerMetric = maxSeriesPerMetric;
    }

    /**
     * The exported labels of a series of a metric, sorted by name; the same input always gives the same answer (equal
     * sets the same instance, so callers may cache the answer per series cheaply).
     */
    public Map<String, String> apply(String metric, Labels labels) {
        TreeMap<String, String> out = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            String name = labels.name(i);
            if (dropped.contains(name)) {
                continue;
            }
            String value = labels.value(i);
            if (PersonalData.found(value)) {
                redacted.incrementAndGet();
                value = PersonalData.REDACTED;
            }
            out.put(name, value);
        }
        Map<String, String> exported = Collections.unmodifiableMap(out);
        Map<Map<String, String>, Map<String, String>> known = seen.computeIfAbsent(metric,
                m -> new ConcurrentHashMap<>());
        Map<String, String> same = known.get(exported);
        if (same != null) {
            return same;
        }
        synchronized (known) {
            same = known.get(exported);
            if (same != null) {
                return same;
            }
            if (known.size() < maxSeriesPerMetric) {
                known.put(exported, exported);
                return exported;
            }
        }
        overflowed.incrementAndGet();
        return OVERFLOW;
    }

    /** How many series lookups were combined into an overflow set so far. */
    public long overflowed() {
        return overflowed.get();
    }

    /** How many label values were redacted so far. */
    public long redacted() {
        return redacted.get();
    }
}
