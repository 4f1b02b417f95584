package io.vigil.alerting.rules;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as rule files write them: {@code 500ms}, {@code 5m}, {@code 1h}, {@code 30d}, {@code 1h30m}. */
public final class DurationText {
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d|w)");
    private static final long[] UNIT_MILLIS = {7 * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
    private static final String[] UNITS = {"w", "d", "h", "m", "s", "ms"};

    private DurationText() {}

    /** Parses a duration. @throws IllegalArgumentException when the text is not one */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        Matcher m = PART.matcher(text);
        long millis = 0;
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("'" + text + "' is not a duration");
            }
            long n = Long.parseLong(m.group(1));
            long unit = switch (m.group(2)) {
                case "w" -> UNIT_MILLIS[0];
                case "d" -> UNIT_MILLIS[1];
                case "h" -> UNIT_MILLIS[2];
                case "m" -> UNIT_MILLIS[3];
                case "s" -> UNIT_MILLIS[4];
                default -> 1L;
            };
            if (n > Long.MAX_VALUE / unit || millis > Long.MAX_VALUE - n * unit) {
                throw new IllegalArgumentException("'" + text + "' is too long a duration");
            }
            millis += n * unit;
            at = m.end();
        }
        return Duration.ofMillis(millis);
    }

    /** The shortest form with one unit that is exact: {@code 30d}, {@code 6h}, {@code 90m}, {@code 0s}. */
    public static String format(Duration d) {
        long millis = d.toMillis();
        if (millis == 0) {
            return "0s";
        }
        // Weeks are skipped: "7d" reads better than "1w" next to SLO periods of 28d and 30d.
        for (int i = 1; i < UNITS.length; i++) {
            if (millis % UNIT_MILLIS[i] == 0) {
                return millis / UNIT_MILLIS[i] + UNITS[i];
            }
        }
        throw new AssertionError();
    }
}
