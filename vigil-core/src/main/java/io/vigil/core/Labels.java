package io.vigil.core;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable label set sorted by name, without the metric name. Instances are safe to share between threads.
 */
public final class Labels {
    public static final Labels EMPTY = new Labels(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;
    private int hash;

    private Labels(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    /** Builds a label set from a map; names are sorted, the map is copied. */
    public static Labels of(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return EMPTY;
        }
        TreeMap<String, String> sorted = new TreeMap<>(labels);
        return new Labels(sorted.keySet().toArray(String[]::new), sorted.values().toArray(String[]::new));
    }

    /** Builds a label set from alternating names and values, for example {@code of("route", "/guests", "status", "200")}. */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels need name/value pairs but " + namesAndValues.length + " strings were given");
        }
        TreeMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return of(map);
    }

    /**
     * Wraps arrays that the caller guarantees sorted by name, without duplicates, and no longer used by the caller.
     * Used by decoders on the ingest path to avoid a copy.
     */
    public static Labels ofSorted(String[] names, String[] values) {
        return names.length == 0 ? EMPTY : new Labels(names, values);
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public String value(int i) {
        return values[i];
    }

    /** The value of a label, or null when the set has no such label. */
    public String get(String name) {
        int i = Arrays.binarySearch(names, name);
        return i >= 0 ? values[i] : null;
    }

    /** This label set with only the given label names kept (for grouping). */
    public Labels keep(java.util.Collection<String> keep) {
        TreeMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            if (keep.contains(names[i])) {
                map.put(names[i], values[i]);
            }
        }
        return of(map);
    }

    public Map<String, String> toMap() {
        TreeMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], values[i]);
        }
        return map;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other && Arrays.equals(names, other.names) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
            hash = h;
        }
        return h;
    }

    /** Prometheus-style rendering: {@code {route="/guests",status="200"}}, values escaped. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(names[i]).append("=\"");
            String v = values[i];
            for (int c = 0; c < v.length(); c++) {
                char ch = v.charAt(c);
                switch (ch) {
                    case '\\' -> sb.append("\\\\");
                    case '"' -> sb.append("\\\"");
                    case '\n' -> sb.append("\\n");
                    default -> sb.append(ch);
                }
            }
            sb.append('"');
        }
        return sb.append('}').toString();
    }
}
