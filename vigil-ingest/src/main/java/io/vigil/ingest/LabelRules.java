package io.vigil.ingest;

/**
 * Limits every decoder applies to names, labels and values before anything is stored, so that a hostile sender
 * (label bombs, megabyte label values, NaN) is rejected point by point with a message, and harms nothing else.
 *
 * @param maxLabels most labels on one series (not counting the metric name)
 * @param maxNameLength longest metric or label name, in characters
 * @param maxValueLength longest label value, in characters
 * @param maxFutureMillis how far ahead of the server clock a timestamp may be
 */
public record LabelRules(int maxLabels, int maxNameLength, int maxValueLength, long maxFutureMillis) {

    /** 64 labels, names up to 200 characters, values up to 2048, timestamps at most one hour ahead. */
    public static final LabelRules DEFAULTS = new LabelRules(64, 200, 2048, 3_600_000L);

    public LabelRules {
        if (maxLabels < 1 || maxNameLength < 1 || maxValueLength < 1 || maxFutureMillis < 0) {
            throw new IllegalArgumentException("label rules must be positive");
        }
    }

    /** Null when the metric name is acceptable, else why not. Metric names follow {@code [a-zA-Z_:][a-zA-Z0-9_:.]*}. */
    public String checkMetricName(String name) {
        if (name == null || name.isEmpty()) {
            return "metric name is missing";
        }
        if (name.length() > maxNameLength) {
            return "metric name of " + name.length() + " characters is longer than " + maxNameLength;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (i > 0 && ((c >= '0' && c <= '9') || c == '.'));
            if (!ok) {
                return "metric name '" + printable(name) + "' must match [a-zA-Z_:][a-zA-Z0-9_:.]*";
            }
        }
        return null;
    }

    /** Null when the label name is acceptable, else why not. Label names follow {@code [a-zA-Z_][a-zA-Z0-9_.]*}. */
    public String checkLabelName(String name) {
        if (name == null || name.isEmpty()) {
            return "label name is empty";
        }
        if (name.length() > maxNameLength) {
            return "label name of " + name.length() + " characters is longer than " + maxNameLength;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (i > 0 && ((c >= '0' && c <= '9') || c == '.'));
            if (!ok) {
                return "label name '" + printable(name) + "' must match [a-zA-Z_][a-zA-Z0-9_.]*";
            }
        }
        return null;
    }

    /** Null when the label value is acceptable, else why not (the value itself is never echoed: it may be personal). */
    public String checkLabelValue(String labelName, String value) {
        if (value == null || value.isEmpty()) {
            return "label '" + labelName + "' has an empty value";
        }
        if (value.length() > maxValueLength) {
            return "label '" + labelName + "' has a value of " + value.length() + " characters, more than "
                    + maxValueLength;
        }
        return null;
    }

    /** Null when a label count is acceptable, else why not. */
    public String checkLabelCount(String metric, int count) {
        return count > maxLabels ? "series of '" + metric + "' has " + count + " labels, more than " + maxLabels : null;
    }

    /** Null when a sample value is acceptable. NaN and infinities are refused: no statistic can use them. */
    public String checkValue(String metric, double value) {
        return Double.isFinite(value) ? null : "sample of '" + metric + "' has value " + value + "; only finite numbers are accepted";
    }

    /** Null when a timestamp is acceptable relative to the server clock. */
    public String checkTimestamp(String metric, long timestampMillis, long nowMillis) {
        if (timestampMillis <= 0) {
            return "sample of '" + metric + "' has timestamp " + timestampMillis + "; it must be a positive epoch time";
        }
        if (timestampMillis > nowMillis + maxFutureMillis) {
            return "sample of '" + metric + "' has a timestamp more than " + (maxFutureMillis / 1000)
                    + " s in the future";
        }
        return null;
    }

    /** A name cut to 64 characters with control characters replaced, safe to put in an error message. */
    public static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        StringBuilder sb = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return sb.toString();
    }
}
