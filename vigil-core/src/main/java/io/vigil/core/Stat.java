package io.vigil.core;

import java.util.Locale;

/**
 * A statistic the query API computes over a window: count, sum, min, max, avg, rate, a percentile such as p95 or
 * p99.9, error_rate or availability.
 *
 * @param type which statistic
 * @param quantile for {@link Type#QUANTILE}, the quantile in [0, 1]; otherwise 0
 */
public record Stat(Type type, double quantile) {

    public enum Type { COUNT, SUM, MIN, MAX, AVG, RATE, QUANTILE, ERROR_RATE, AVAILABILITY }

    /**
     * Parses the API name of a statistic.
     *
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static Stat parse(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(accepted("(missing)"));
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.length() > 1 && n.charAt(0) == 'p' && Character.isDigit(n.charAt(1))) {
            String digits = n.substring(1);
            // Plain decimals only: Double.parseDouble alone also took 'p9e1' as p90, 'p50d' as p50 and 'p0x1p6' as p64.
            if (!digits.matches("[0-9]+(\\.[0-9]+)?")) {
                throw new IllegalArgumentException(accepted(name));
            }
            double pct = Double.parseDouble(digits);
            if (!(pct >= 0 && pct <= 100)) {
                throw new IllegalArgumentException("stat '" + name + "': a percentile must be between p0 and p100");
            }
            return new Stat(Type.QUANTILE, pct / 100.0);
        }
        return switch (n) {
            case "count" -> new Stat(Type.COUNT, 0);
            case "sum" -> new Stat(Type.SUM, 0);
            case "min" -> new Stat(Type.MIN, 0);
            case "max" -> new Stat(Type.MAX, 0);
            case "avg", "mean" -> new Stat(Type.AVG, 0);
            case "rate" -> new Stat(Type.RATE, 0);
            case "error_rate" -> new Stat(Type.ERROR_RATE, 0);
            case "availability" -> new Stat(Type.AVAILABILITY, 0);
            default -> throw new IllegalArgumentException(accepted(name));
        };
    }

    private static String accepted(String value) {
        return "stat was '" + value + "' but it must be one of count, sum, min, max, avg, rate, p50, p90, p95, p99, "
                + "pNN.N (any percentile), error_rate, availability";
    }
}
