package io.vigil.calendar.report;

import java.time.Duration;
import java.time.Instant;

/**
 * The time by which a share of the expected guests had checked in.
 *
 * @param percent the share, 50 or 90
 * @param at the check-in that reached it
 * @param fromCeremonyStart {@code at - ceremony start}: negative when before the ceremony
 */
public record ArrivalMark(int percent, Instant at, Duration fromCeremonyStart) {

    /** For people, e.g. "90 % arrived by 14:48, 12 min before the ceremony start". */
    public String describe(WeddingTimes times) {
        String relative = fromCeremonyStart.isZero() ? "at the ceremony start"
                : ReportText.duration(fromCeremonyStart) + (fromCeremonyStart.isNegative() ? " before" : " after")
                        + " the ceremony start";
        return percent + " % arrived by " + times.clock(at) + ", " + relative;
    }
}
