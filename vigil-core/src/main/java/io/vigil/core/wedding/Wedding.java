package io.vigil.core.wedding;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A wedding on the calendar. Times are local date-times in the wedding's own time zone; the reception may end after
 * midnight (on the next date). Couple and guest names never enter this model; the coordinator's contact, the only
 * personal data kept, is hidden from {@link #toString()} and from non-admin answers.
 *
 * @param id stable identity (an ICS UID, a CSV or API id): 1-128 of letters, digits and {@code . _ - : @}
 * @param date the wedding day, the date of {@code ceremonyStart}
 * @param timeZone IANA zone of the venue
 * @param ceremonyStart local start of the ceremony
 * @param receptionEnd local end of the reception, after the ceremony start and at most 36 hours later
 * @param guestCount expected guests, 0-100,000
 * @param venue venue name, at most 200 characters, may be null
 * @param vendorIds the vendors booked, each an id like {@code id}
 * @param status scheduled or cancelled
 * @param source where it came from ({@code api}, {@code csv}, {@code ics:<feed name>}), so that a feed can cancel
 *     the weddings it no longer lists
 * @param coordinator contact for the emergency chain, may be null
 */
public record Wedding(String id, LocalDate date, ZoneId timeZone, LocalDateTime ceremonyStart,
                      LocalDateTime receptionEnd, int guestCount, String venue, List<String> vendorIds,
                      WeddingStatus status, String source, Coordinator coordinator) {

    /** A wedding is active from this long before the ceremony until the reception ends. */
    public static final Duration ACTIVE_BEFORE_CEREMONY = Duration.ofHours(2);
    public static final int MAX_GUESTS = 100_000;
    public static final int MAX_VENDORS = 100;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    /** @throws IllegalArgumentException naming the field, the value (never personal data) and the rule */
    public Wedding {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id " + (id == null ? "is missing" : "'" + shorten(id) + "' is invalid")
                    + ": it must be 1-128 letters, digits or . _ - : @, starting with a letter or digit");
        }
        Objects.requireNonNull(timeZone, "timeZone");
        if (ceremonyStart == null) {
            throw new IllegalArgumentException("wedding " + id + ": ceremonyStart is missing");
        }
        if (receptionEnd == null) {
            throw new IllegalArgumentException("wedding " + id + ": receptionEnd is missing");
        }
        if (ceremonyStart.getYear() < 1900 || ceremonyStart.getYear() > 2200) {
            throw new IllegalArgumentException("wedding " + id + ": ceremonyStart " + ceremonyStart
                    + " is not a plausible wedding date (years 1900-2200)");
        }
        date = date == null ? ceremonyStart.toLocalDate() : date;
        if (!date.equals(ceremonyStart.toLocalDate())) {
            throw new IllegalArgumentException("wedding " + id + ": date " + date
                    + " is not the date of ceremonyStart " + ceremonyStart);
        }
        if (!receptionEnd.isAfter(ceremonyStart)) {
            throw new IllegalArgumentException("wedding " + id + ": receptionEnd " + receptionEnd
                    + " must be after ceremonyStart " + ceremonyStart + " (a reception past midnight ends on the next date)");
        }
        if (Duration.between(ceremonyStart, receptionEnd).compareTo(Duration.ofHours(36)) > 0) {
            throw new IllegalArgumentException("wedding " + id + ": receptionEnd " + receptionEnd
                    + " is more than 36 hours after ceremonyStart " + ceremonyStart);
        }
        if (guestCount < 0 || guestCount > MAX_GUESTS) {
            throw new IllegalArgumentException("wedding " + id + ": guestCount was " + guestCount
                    + " but it must be between 0 and " + MAX_GUESTS);
        }
        venue = venue == null || venue.isBlank() ? null : venue.trim();
        if (venue != null && venue.length() > 200) {
            throw new IllegalArgumentException("wedding " + id + ": venue is longer than 200 characters");
        }
        if (venue != null && hasControl(venue)) {
            throw new IllegalArgumentException("wedding " + id + ": venue contains control characters");
        }
        vendorIds = vendorIds == null ? List.of() : List.copyOf(vendorIds);
        if (vendorIds.size() > MAX_VENDORS) {
            throw new IllegalArgumentException("wedding " + id + ": " + vendorIds.size()
                    + " vendorIds but at most " + MAX_VENDORS + " are allowed");
        }
        for (String v : vendorIds) {
            if (v == null || !ID.matcher(v).matches()) {
                throw new IllegalArgumentException("wedding " + id + ": vendor id "
                        + (v == null ? "null" : "'" + shorten(v) + "'") + " is invalid: it must be 1-128 letters,"
                        + " digits or . _ - : @");
            }
        }
        status = status == null ? WeddingStatus.SCHEDULED : status;
        source = source == null ? "api" : source;
        coordinator = coordinator == null || coordinator.isEmpty() ? null : coordinator;
    }

    /** Whether the text holds a control character other than tab and line breaks (NUL, escape, ...). */
    static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** The ceremony start as an instant (a local time in a DST gap moves forward, one in an overlap takes the earlier). */
    public Instant ceremonyStartInstant() {
        return ZonedDateTime.of(ceremonyStart, timeZone).toInstant();
    }

    /** The reception end as an instant. */
    public Instant receptionEndInstant() {
        return ZonedDateTime.of(receptionEnd, timeZone).toInstant();
    }

    /** Start of the active window: two hours before the ceremony. */
    public Instant activeFrom() {
        return ceremonyStartInstant().minus(ACTIVE_BEFORE_CEREMONY);
    }

    /** Whether the wedding is scheduled and {@code at} lies in [ceremony - 2 h, reception end). */
    public boolean isActiveAt(Instant at) {
        return status == WeddingStatus.SCHEDULED && !at.isBefore(activeFrom()) && at.isBefore(receptionEndInstant());
    }

    /** Whether {@code at} falls on the wedding day, the calendar date in the wedding's own time zone. */
    public boolean isWeddingDay(Instant at) {
        return at.atZone(timeZone).toLocalDate().equals(date);
    }

    /** The same wedding with another status. */
    public Wedding withStatus(WeddingStatus newStatus) {
        return new Wedding(id, date, timeZone, ceremonyStart, receptionEnd, guestCount, venue, vendorIds, newStatus,
                source, coordinator);
    }
}
