package io.vigil.alerting.rules;

import io.vigil.alerting.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One line of the multiwindow, multi-burn-rate table: the SLO breaches at this pair's severity when the burn rate is
 * above {@code factor} over both the long and the short window.
 *
 * @param longWindow the window whose burn says the budget is really being spent (1h, 6h, 3d)
 * @param shortWindow the window that says it is still being spent now, so the alert resets soon after recovery
 * @param factor the burn rate both windows must exceed
 * @param severity the severity of a breach of this pair
 */
public record BurnRatePair(Duration longWindow, Duration shortWindow, double factor, Severity severity) {

    /**
     * The SRE workbook's recommended table for a 30-day SLO: page at 14.4 over 1h and 5m (2 % of the budget in an
     * hour) and at 6 over 6h and 30m (5 % in six hours), ticket at 1 over 3d and 6h (10 % in three days). Vigil rates
     * the fast page critical, the slower page high and the ticket low.
     */
    public static final List<BurnRatePair> WORKBOOK = List.of(
            new BurnRatePair(Duration.ofHours(1), Duration.ofMinutes(5), 14.4, Severity.CRITICAL),
            new BurnRatePair(Duration.ofHours(6), Duration.ofMinutes(30), 6, Severity.HIGH),
            new BurnRatePair(Duration.ofDays(3), Duration.ofHours(6), 1, Severity.LOW));

    public BurnRatePair {
        RuleBasics.window("slo", "long window", longWindow);
        RuleBasics.window("slo", "short window", shortWindow);
        if (shortWindow.compareTo(longWindow) >= 0) {
            throw new IllegalArgumentException("the short window " + DurationText.format(shortWindow)
                    + " must be shorter than the long window " + DurationText.format(longWindow));
        }
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("a burn-rate factor must be positive but was " + factor);
        }
        Objects.requireNonNull(severity, "severity");
    }
}
