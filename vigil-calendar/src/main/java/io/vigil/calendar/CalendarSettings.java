package io.vigil.calendar;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How the calendar is read: the platform's home time zone (for the season and peak days), how far ahead a wedding
 * counts as upcoming, and the three monitoring switches of C4.
 *
 * @param timeZone zone in which the season (May-October) and peak days (Friday, Saturday) are judged
 * @param upcomingHorizon a wedding whose active window starts within this much time counts as upcoming
 * @param monitoringEnabled {@code monitoring_enabled}: scheduled per-wedding checks run at all
 * @param weddingDayEnhancedMonitoring {@code wedding_day_enhanced_monitoring}: the wedding-day tier runs every 10 s
 *     (off: every minute, like the week before)
 * @param predictiveScalingEnabled {@code predictive_scaling_enabled}: capacity forecasts may ask for scaling
 */
public record CalendarSettings(ZoneId timeZone, Duration upcomingHorizon, boolean monitoringEnabled,
                               boolean weddingDayEnhancedMonitoring, boolean predictiveScalingEnabled) {

    public static final CalendarSettings DEFAULTS = new CalendarSettings(ZoneId.of("UTC"), Duration.ofHours(24),
            true, true, true);

    public CalendarSettings {
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(upcomingHorizon, "upcomingHorizon");
        if (upcomingHorizon.isNegative() || upcomingHorizon.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalArgumentException("calendar.upcomingHorizon was " + upcomingHorizon
                    + " but it must be between 0 and 30 days");
        }
    }

    /** The same settings with the three switches replaced. */
    public CalendarSettings withSwitches(boolean monitoring, boolean enhanced, boolean predictive) {
        return new CalendarSettings(timeZone, upcomingHorizon, monitoring, enhanced, predictive);
    }

    /** The check interval of a tier under these switches; null when nothing runs. */
    public Duration interval(ProximityTier tier) {
        if (!monitoringEnabled || tier == ProximityTier.PAST) {
            return null;
        }
        if (tier == ProximityTier.WEDDING_DAY && !weddingDayEnhancedMonitoring) {
            return ProximityTier.WITHIN_WEEK.interval();
        }
        return tier.interval();
    }
}
