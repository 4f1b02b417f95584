package io.vigil.export;

import io.vigil.calendar.WeddingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The wedding context tags every export carries (SPEC X2): {@code wedding_season}, {@code wedding_peak_time} and
 * {@code estimated_wedding_load}. The load goes out as a band, not a number, so that the tag has five values and
 * never multiplies a far side's series; no wedding id or personal data is ever a tag.
 */
public record ExportTags(boolean weddingSeason, boolean peakTime, String loadBand) {

    /** The load bands by estimated wedding load (guests of active weddings plus half of the upcoming, docs/calendar.md). */
    public static String band(double estimatedLoad) {
        if (!(estimatedLoad > 0)) {
            return "none";
        }
        if (estimatedLoad < 500) {
            return "low";
        }
        if (estimatedLoad < 2_000) {
            return "moderate";
        }
        return estimatedLoad < 10_000 ? "high" : "extreme";
    }

    /** The tags of a wedding context. */
    public static ExportTags of(WeddingContext context) {
        return new ExportTags(context.weddingSeason(), context.peakTime(), band(context.estimatedWeddingLoad()));
    }

    /** The tags as names and values, in the SPEC's order. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("wedding_season", Boolean.toString(weddingSeason));
        m.put("wedding_peak_time", Boolean.toString(peakTime));
        m.put("estimated_wedding_load", loadBand);
        return m;
    }
}
