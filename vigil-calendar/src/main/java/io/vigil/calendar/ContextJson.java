package io.vigil.calendar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The wedding context as every query answer, alert and notification carries it: ids, times and guest counts only. */
public final class ContextJson {
    private ContextJson() {}

    /** A JSON-ready map (Jackson serialises it as it is). */
    public static Map<String, Object> write(WeddingContext c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("at", c.at().toString());
        out.put("weddingSeason", c.weddingSeason());
        out.put("peakTime", c.peakTime());
        out.put("activeWeddings", refs(c.activeWeddings()));
        out.put("upcomingWeddings", refs(c.upcomingWeddings()));
        out.put("estimatedWeddingLoad", c.estimatedWeddingLoad());
        return out;
    }

    private static List<Map<String, Object>> refs(List<WeddingContext.WeddingRef> refs) {
        List<Map<String, Object>> out = new ArrayList<>(refs.size());
        for (WeddingContext.WeddingRef r : refs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("timeZone", r.timeZone());
            m.put("activeFrom", r.activeFrom().toString());
            m.put("ceremonyStart", r.ceremonyStart().toString());
            m.put("receptionEnd", r.receptionEnd().toString());
            m.put("guestCount", r.guestCount());
            m.put("proximityTier", r.tier().wireName());
            out.add(m);
        }
        return out;
    }
}
