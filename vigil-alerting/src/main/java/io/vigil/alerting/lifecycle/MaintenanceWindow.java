package io.vigil.alerting.lifecycle;

import io.vigil.alerting.Impact;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Rating;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.transform.recurrence.Frequency;

/**
 * Planned work during which matching alerts write no intents: once (from {@code start} to {@code end}) or
 * recurring ({@code start}-{@code end} is the first occurrence, {@code rrule} an iCalendar RRULE such as
 * {@code FREQ=WEEKLY;BYDAY=TU}). Times are wall-clock times in {@code timeZone}, so a window at 02:00-04:00
 * Europe/London stays at 02:00-04:00 local time across daylight-saving changes. A window never mutes a P0 alert
 * rated CRITICAL (weddings are being hurt now) unless it is {@code force}d.
 *
 * @param id the window's id
 * @param name what the work is
 * @param matchers all must match; none: the window covers every alert
 * @param timeZone IANA zone of the times, e.g. {@code Europe/London}
 * @param start start of the (first) occurrence, local time
 * @param end end of the (first) occurrence, local time
 * @param rrule the recurrence rule (at most hourly), null or blank for a one-off window; {@code UNTIL} or
 *              {@code COUNT} end it
 * @param force whether it mutes even P0 alerts during active weddings
 * @param createdBy who planned it
 * @param comment why
 */
public record MaintenanceWindow(String id, String name, List<LabelMatcher> matchers, String timeZone,
                                LocalDateTime start, LocalDateTime end, String rrule, boolean force, String createdBy,
                                String comment) {

    /** One occurrence of a window, as instants. */
    public record Occurrence(Instant start, Instant end) {
        public boolean contains(Instant at) {
            return !at.isBefore(start) && at.isBefore(end);
        }
    }

    public MaintenanceWindow {
        Objects.requireNonNull(id, "id");
        name = name == null ? "" : name;
        matchers = matchers == null ? List.of() : List.copyOf(matchers);
        Objects.requireNonNull(timeZone, "timeZone");
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone: " + timeZone, e);
        }
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a maintenance window must end after it starts");
        }
        if (rrule != null) {
            rrule = rrule.strip();
            if (rrule.regionMatches(true, 0, "RRULE:", 0, 6)) {
                rrule = rrule.substring(6);
            }
            if (rrule.isEmpty()) {
                rrule = null;
            } else {
                recur(rrule);
            }
        }
        createdBy = createdBy == null ? "" : createdBy;
        comment = comment == null ? "" : comment;
    }

    /** The occurrence under way at {@code at}, if any. */
    public Optional<Occurrence> occurrenceAt(Instant at) {
        Duration longest = Duration.between(start, end).plusHours(3); // a DST change can lengthen one occurrence
        return occurrences(at.minus(longest), at).stream().filter(o -> o.contains(at)).findFirst();
    }

    /** Occurrences that start from {@code from} to {@code to}, both inclusive, in order. */
    public List<Occurrence> occurrences(Instant from, Instant to) {
        ZoneId zone = ZoneId.of(timeZone);
        ZonedDateTime first = start.atZone(zone);
        List<Occurrence> out = new ArrayList<>();
        if (rrule == null) {
            Occurrence only = occurrence(first, zone);
            if (!only.start().isBefore(from) && !only.start().isAfter(to)) {
                out.add(only);
            }
            return out;
        }
        for (ZonedDateTime s : recur(rrule).getDates(first, from.atZone(zone), to.atZone(zone))) {
            out.add(occurrence(s, zone));
        }
        // RFC 5545: DTSTART is the first occurrence even when the rule does not select it.
        if (!first.toInstant().isBefore(from) && !first.toInstant().isAfter(to)
                && out.stream().noneMatch(o -> o.start().equals(first.toInstant()))) {
            out.add(0, occurrence(first, zone));
        }
        return out;
    }

    /** Whether the window mutes an alert with these labels (with the pseudo-labels) and this rating. */
    public boolean mutes(Map<String, String> labels, Rating rating) {
        if (!force && rating.priority() == Priority.P0 && rating.impact() == Impact.CRITICAL) {
            return false;
        }
        return matchers.stream().allMatch(m -> m.matches(labels));
    }

    private Occurrence occurrence(ZonedDateTime occurrenceStart, ZoneId zone) {
        // The local start the rule meant: a start in a DST gap (01:30 on the spring-forward day) was moved later by
        // the gap, and the end is the intended local start plus the window's local length (end stays at 03:30).
        LocalDateTime intended = LocalDateTime.of(occurrenceStart.toLocalDate(), start.toLocalTime());
        if (!intended.atZone(zone).equals(occurrenceStart)) {
            intended = occurrenceStart.toLocalDateTime();
        }
        ZonedDateTime occurrenceEnd = intended.plus(Duration.between(start, end)).atZone(zone);
        return new Occurrence(occurrenceStart.toInstant(), occurrenceEnd.toInstant());
    }

    private static Recur<ZonedDateTime> recur(String rule) {
        Recur<ZonedDateTime> recur;
        try {
            recur = new Recur<>(rule);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad RRULE " + rule + ": " + e.getMessage(), e);
        }
        // Every check expands the rule from its first occurrence: a per-second or per-minute rule would make that
        // expansion unbounded work, and no maintenance repeats that often.
        if (recur.getFrequency() == Frequency.SECONDLY || recur.getFrequency() == Frequency.MINUTELY) {
            throw new IllegalArgumentException("a maintenance window repeats at most hourly: " + rule);
        }
        return recur;
    }
}
