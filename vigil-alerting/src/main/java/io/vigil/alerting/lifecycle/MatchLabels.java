package io.vigil.alerting.lifecycle;

import io.vigil.alerting.Rating;
import io.vigil.alerting.Severity;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The labels matchers and group keys see: the alert's labels plus the pseudo-labels, which win over real ones. */
final class MatchLabels {
    private MatchLabels() {}

    static Map<String, String> of(String ruleId, Map<String, String> labels, Rating rating, Severity severity) {
        Map<String, String> m = new HashMap<>(labels);
        m.put("alertname", ruleId);
        m.put("priority", rating.priority().name());
        m.put("impact", rating.impact().wireName());
        if (severity != null) {
            m.put("severity", severity.wireName());
        }
        return m;
    }

    static Map<String, String> of(Alert a) {
        return of(a.ruleId(), a.labels(), a.rating(), a.severity());
    }

    /** The group-by labels and their values ({@code ""} when missing), in group-by order. */
    static Map<String, String> groupLabels(List<String> groupBy, Map<String, String> labels) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : groupBy) {
            out.put(name, labels.getOrDefault(name, ""));
        }
        return out;
    }

    /** {@code {alertname="checkout-latency",wedding_id="w-42"}}, values escaped as in PromQL. */
    static String groupKey(Map<String, String> groupLabels) {
        StringBuilder b = new StringBuilder("{");
        groupLabels.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(k).append("=\"").append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append('"');
        });
        return b.append('}').toString();
    }
}
