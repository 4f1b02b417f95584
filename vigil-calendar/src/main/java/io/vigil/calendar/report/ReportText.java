package io.vigil.calendar.report;

import java.time.Duration;

/** How durations and shares read in report sentences. */
public final class ReportText {
    private ReportText() {}

    /**
     * A duration for people, sign dropped: {@code 45 s}, {@code 6 min 20 s}, {@code 42 min}, {@code 1 h 5 min}
     * (seconds are dropped from an hour on), {@code 0 min}; rounded to the nearest second.
     */
    public static String duration(Duration d) {
        long s = seconds(d.abs());
        if (s == 0) {
            return "0 min";
        }
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        long minutes = s / 60 % 60;
        return s / 3600 + " h" + (minutes == 0 ? "" : " " + minutes + " min");
    }

    /** A signed duration: {@code +25 min}, {@code -12 min}, {@code 0 min}. */
    public static String signed(Duration d) {
        long s = seconds(d);
        return (s > 0 ? "+" : s < 0 ? "-" : "") + duration(d);
    }

    /** {@code part} of {@code whole} in whole percent, rounded down (so that 79.9 % never reads as 80 %). */
    public static long percent(long part, long whole) {
        return whole == 0 ? 0 : Math.floorDiv(part * 100, whole);
    }

    /** A duration in whole seconds, rounded half up (as the JSON form carries it). */
    public static long seconds(Duration d) {
        long s = d.getSeconds();
        return d.getNano() >= 500_000_000 ? s + 1 : s;
    }
}
