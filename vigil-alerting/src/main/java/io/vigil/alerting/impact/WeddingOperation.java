package io.vigil.alerting.impact;

import java.util.Locale;
import java.util.Map;

/**
 * The wedding operations an alert can touch, found from the metric (the wedding-operation families of
 * docs/calendar.md) or, for platform HTTP metrics, from the route label. Guest list, photo upload, timeline and
 * vendor notifications are wedding-critical (A2).
 */
public enum WeddingOperation {
    GUEST_LIST("guest list", true),
    PHOTO_UPLOAD("photo upload", true),
    TIMELINE("timeline sync", true),
    VENDOR_NOTIFICATIONS("vendor notifications", true),
    PHOTO_PROCESSING("photo processing", false),
    MOBILE_APP("mobile app", false),
    GUEST_CHECKIN("guest check-in", true),
    EMERGENCY_RESPONSE("emergency response", true),
    OTHER("other operations", false);

    private final String words;
    private final boolean weddingCritical;

    WeddingOperation(String words, boolean weddingCritical) {
        this.words = words;
        this.weddingCritical = weddingCritical;
    }

    /** The operation in plain words, for explanations. */
    public String words() {
        return words;
    }

    public boolean weddingCritical() {
        return weddingCritical;
    }

    /** The operation a metric (and, for HTTP metrics, its route label) measures. */
    public static WeddingOperation of(String metric, Map<String, String> labels) {
        String m = metric == null ? "" : metric.toLowerCase(Locale.ROOT);
        String route = labels.getOrDefault("route", "").toLowerCase(Locale.ROOT);
        String text = m.startsWith("wedding_") ? m : route.isEmpty() ? m : route;
        if (text.contains("guest_list") || text.contains("/guests")) {
            return GUEST_LIST;
        }
        if (text.contains("photo_upload") || (text.contains("/photos") && !text.contains("process"))) {
            return PHOTO_UPLOAD;
        }
        if (text.contains("photo_processing")) {
            return PHOTO_PROCESSING;
        }
        if (text.contains("timeline")) {
            return TIMELINE;
        }
        if (text.contains("vendor")) {
            return VENDOR_NOTIFICATIONS;
        }
        if (text.contains("checkin") || text.contains("check_in")) {
            return GUEST_CHECKIN;
        }
        if (text.contains("emergency")) {
            return EMERGENCY_RESPONSE;
        }
        if (text.contains("mobile_app")) {
            return MOBILE_APP;
        }
        return OTHER;
    }
}
