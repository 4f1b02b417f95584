/**
 * Weddings from iCalendar feeds: {@link io.vigil.calendar.ics.IcsWeddingParser} reads a document,
 * {@link io.vigil.calendar.ics.FeedChanges} works out what a refresh stores, and
 * {@link io.vigil.calendar.ics.FeedFetcher} downloads a feed.
 *
 * <p>How a VEVENT maps to a {@link io.vigil.core.wedding.Wedding}:
 * <ul>
 *   <li>{@code UID}: the wedding id (1-128 letters, digits or {@code . _ - : @}); an event whose UID breaks that
 *       rule is reported by its position only.</li>
 *   <li>{@code DTSTART}: the ceremony start; {@code DTEND}, or {@code DTSTART + DURATION}: the reception end.</li>
 *   <li>The wedding's zone is the IANA zone of DTSTART's {@code TZID}: an IANA id, a Windows zone name, a
 *       vendor-prefixed id ending in an IANA id, or a VTIMEZONE of the document whose {@code X-LIC-LOCATION} names
 *       one. A VTIMEZONE in the document decides how its TZID's local times map to instants. A UTC time
 *       ({@code ...Z}) is taken in the calendar's {@code X-WR-TIMEZONE}, else in UTC. Times in DTSTART's own TZID
 *       keep their wall-clock value; others are converted through their instant.</li>
 *   <li>Rejected: floating times (no TZID, no Z), all-day events, recurring events ({@code RRULE}, {@code RDATE},
 *       {@code EXRULE}, {@code RECURRENCE-ID}), a UID used by two events, and a property Vigil reads given twice.</li>
 *   <li>{@code STATUS}: {@code CANCELLED} cancels; {@code TENTATIVE}, {@code CONFIRMED} or none schedules.</li>
 *   <li>{@code LOCATION}: the venue, cut to 200 characters.</li>
 *   <li>{@code X-VIGIL-GUEST-COUNT}: expected guests, 0 when absent; {@code X-VIGIL-VENDORS}: vendor ids separated
 *       by commas.</li>
 * </ul>
 * Every other property ({@code SUMMARY}, {@code DESCRIPTION}, {@code ATTENDEE}, {@code ORGANIZER},
 * {@code CONTACT}, alarms...) is dropped unread: it holds couple and guest names, e-mail addresses and phone numbers.
 */
package io.vigil.calendar.ics;
