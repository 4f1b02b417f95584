package io.vigil.alerting.rules;

import io.vigil.core.Stat;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * The query API's name of a statistic ({@code p95}, {@code p99.9}, {@code error_rate}): the inverse of
 * {@link Stat#parse}.
 */
public final class StatText {
    private StatText() {}

    public static String format(Stat stat) {
        if (stat.type() == Stat.Type.QUANTILE) {
            // Rounded to 10 digits: Stat.parse("p99.9") stores 99.9 / 100, which is not exactly 0.999.
            return "p" + new BigDecimal(stat.quantile() * 100).round(new MathContext(10)).stripTrailingZeros()
                    .toPlainString();
        }
        return stat.type().name().toLowerCase(Locale.ROOT);
    }
}
