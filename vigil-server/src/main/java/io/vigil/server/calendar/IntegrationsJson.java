package io.vigil.server.calendar;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/integrations}: the health of the calendar feeds (later: exporters, vendor probes). */
public final class IntegrationsJson {
    private IntegrationsJson() {}

    public static Map<String, Object> write(List<FeedPoller.FeedStatus> feeds) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (FeedPoller.FeedStatus f : feeds) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("kind", "ics-feed");
            m.put("url", f.url());
            m.put("healthy", f.healthy());
            m.put("lastAttempt", text(f.fetch().lastAttempt()));
            m.put("lastSuccess", text(f.fetch().lastSuccess()));
            m.put("lastError", f.parseError() != null ? f.parseError() : f.fetch().lastError());
            m.put("consecutiveFailures", f.fetch().consecutiveFailures());
            m.put("weddings", f.weddings());
            m.put("problems", f.problems());
            m.put("lastChange", f.lastChange());
            out.add(m);
        }
        return Map.of("integrations", out);
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
