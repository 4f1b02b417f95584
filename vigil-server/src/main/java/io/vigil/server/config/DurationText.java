package io.vigil.server.config;

import java.time.Duration;
import java.util.Locale;

/** Parses durations written as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601. */
public final class DurationText {
    private DurationText() {}

    /** @throws IllegalArgumentException naming the setting, the value and the accepted forms */
    public static Duration parse(String setting, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(setting + " is empty but it must be a duration like '10s' or '7d'");
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            int unitAt = 0;
            while (unitAt < t.length() && (Character.isDigit(t.charAt(unitAt)))) {
                unitAt++;
            }
            long n = Long.parseLong(t.substring(0, unitAt));
            return switch (t.substring(unitAt)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(setting + " was '" + text
                    + "' but it must be a duration like '500ms', '10s', '5m', '2h', '7d' or ISO-8601 'PT10S'");
        }
    }
}
