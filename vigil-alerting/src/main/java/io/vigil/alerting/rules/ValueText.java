package io.vigil.alerting.rules;

import io.vigil.core.Stat;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/** Values as alert summaries show them: seconds as {@code 500 ms} or {@code 2.4 s}, ratios as {@code 12.5 %}. */
final class ValueText {
    private ValueText() {}

    /** What the statistic is called in a summary: {@code p95}, {@code error rate}, {@code availability}, ... */
    static String statName(Stat stat) {
        return stat.type() == Stat.Type.ERROR_RATE ? "error rate" : StatText.format(stat);
    }

    /** A value of a statistic: percent for ratios, time for the statistics of a {@code _seconds} metric. */
    static String of(Stat stat, String metric, double v) {
        return of(stat, metric, v, 0);
    }

    /**
     * {@link #of}, with as many more digits as it takes not to read the same as {@code limit}: {@code p95 5.004 s > 5 s}
     * rather than {@code p95 5 s > 5 s}.
     */
    static String against(Stat stat, String metric, double v, double limit) {
        String shown = of(stat, metric, v);
        String limitShown = of(stat, metric, limit);
        for (int extra = 1; extra <= 6 && v != limit && shown.equals(limitShown); extra++) {
            shown = of(stat, metric, v, extra);
        }
        return shown;
    }

    private static String of(Stat stat, String metric, double v, int extra) {
        return switch (stat.type()) {
            case ERROR_RATE, AVAILABILITY -> percent(v, extra);
            case RATE -> significant(v, 3 + extra) + "/s";
            case COUNT -> significant(v, 6 + extra);
            default -> metric.endsWith("_seconds") ? seconds(v, extra) : significant(v, 4 + extra);
        };
    }

    static String seconds(double s) {
        return seconds(s, 0);
    }

    private static String seconds(double s, int extra) {
        if (Math.abs(s) < 1) {
            return significant(s * 1000, 3 + extra) + " ms";
        }
        return significant(s, 3 + extra) + " s";
    }

    static String percent(double ratio) {
        return percent(ratio, 0);
    }

    private static String percent(double ratio, int extra) {
        double p = ratio * 100;
        if (Math.abs(p) >= 1) {
            return BigDecimal.valueOf(p).setScale(2 + extra, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()
                    + " %";
        }
        return significant(p, 3 + extra) + " %";
    }

    /** A burn rate: {@code 16.2x}, {@code 0.42x}. */
    static String burn(double b) {
        return String.format(Locale.ROOT, b >= 1 ? "%.1fx" : "%.2fx", b);
    }

    /** A ratio of two values: {@code 1.5x}, {@code 1.25x}. */
    static String times(double r) {
        return BigDecimal.valueOf(r).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + "x";
    }

    static String significant(double v, int digits) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : String.valueOf(v);
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(digits, RoundingMode.HALF_UP)).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
}
