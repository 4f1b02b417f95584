package io.vigil.export.datadog;

import io.vigil.export.ExportTags;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Datadog's names and tags: metric names keep Vigil's name with every character outside {@code [a-zA-Z0-9_.]}
 * replaced by {@code _}; tags are {@code name:value}, the wedding context tags always present, a tag longer than
 * Datadog's 200 characters left out (never cut, which could merge distinct values), duplicates left out. Tags are
 * otherwise sent as they are: Datadog lowercases them and replaces characters it does not allow itself.
 */
final class DatadogTags {
    /** Datadog's limit on one tag. */
    static final int MAX_TAG = 200;

    private DatadogTags() {}

    /** A Datadog metric name for a Vigil metric name. */
    static String metricName(String metric) {
        StringBuilder b = new StringBuilder(metric.length());
        for (int i = 0; i < metric.length(); i++) {
            char c = metric.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.';
            b.append(ok ? c : '_');
        }
        return b.toString();
    }

    /**
     * The tags of a point or an event, in order: the wedding context tags, then the item's own tags, then the
     * configured extra tags. An own or extra tag named like a context tag is left out: the context tag is the truth,
     * and a series must not carry two values of it.
     *
     * @param own the item's tags, {@code name:value}
     */
    static List<String> of(ExportTags context, Collection<String> own, List<String> extra) {
        Map<String, String> ctx = context.asMap();
        Set<String> out = new LinkedHashSet<>();
        ctx.forEach((name, value) -> out.add(name + ":" + value));
        for (Collection<String> tags : List.of(own, extra)) {
            for (String tag : tags) {
                int colon = tag.indexOf(':');
                String name = colon < 0 ? tag : tag.substring(0, colon);
                if (!ctx.containsKey(name) && !tag.isEmpty() && tag.length() <= MAX_TAG) {
                    out.add(tag);
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** Labels as {@code name:value} tags, in the labels' order. */
    static List<String> labels(Map<String, String> labels) {
        List<String> out = new ArrayList<>(labels.size());
        labels.forEach((name, value) -> out.add(name + ":" + value));
        return out;
    }
}
