package io.vigil.calendar.csv;

import static io.vigil.calendar.csv.CsvColumn.CEREMONY_START;
import static io.vigil.calendar.csv.CsvColumn.COORDINATOR_EMAIL;
import static io.vigil.calendar.csv.CsvColumn.COORDINATOR_NAME;
import static io.vigil.calendar.csv.CsvColumn.COORDINATOR_PHONE;
import static io.vigil.calendar.csv.CsvColumn.DATE;
import static io.vigil.calendar.csv.CsvColumn.GUEST_COUNT;
import static io.vigil.calendar.csv.CsvColumn.ID;
import static io.vigil.calendar.csv.CsvColumn.RECEPTION_END;
import static io.vigil.calendar.csv.CsvColumn.STATUS;
import static io.vigil.calendar.csv.CsvColumn.TIME_ZONE;
import static io.vigil.calendar.csv.CsvColumn.VENDOR_IDS;
import static io.vigil.calendar.csv.CsvColumn.VENUE;

import io.vigil.core.wedding.Coordinator;
import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the values of one CSV row into a {@link Wedding}, or into problems naming the column and the fix. Checks every
 * column so that one pass over the file shows every mistake; the {@link Wedding} constructor is only the last guard.
 */
final class WeddingRowParser {
    static final String SOURCE = "csv";

    private static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    private static final Pattern DATE_PATTERN = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME_PATTERN =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?");
    private static final Pattern WITH_OFFSET = Pattern.compile(DATE_TIME_PATTERN.pattern()
            + " ?(Z|[+-]\\d{2}(:?\\d{2})?|UTC|GMT)(\\[.*])?", Pattern.CASE_INSENSITIVE);
    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\+?\\d+");
    private static final Pattern NEGATIVE = Pattern.compile("-\\d+");
    private static final Pattern FIXED_OFFSET = Pattern.compile("(UTC|GMT|UT)?[+-]\\d.*|Z", Pattern.CASE_INSENSITIVE);
    private static final Map<String, String> ZONES_BY_LOWER_CASE = ZoneId.getAvailableZoneIds().stream()
            .collect(Collectors.toUnmodifiableMap(z -> z.toLowerCase(Locale.ROOT), Function.identity(), (a, b) -> a));
    private static final String DATE_TIME_EXAMPLE = "2026-06-13T15:00 or 2026-06-13 15:00";
    private static final String PERSONAL = " (the value is personal data and is not shown)";

    private final int line;
    private final List<CsvProblem> problems;
    private final int problemsBefore;

    private WeddingRowParser(int line, List<CsvProblem> problems) {
        this.line = line;
        this.problems = problems;
        this.problemsBefore = problems.size();
    }

    /** Whether a text is a valid wedding or vendor id. */
    static boolean isId(String text) {
        return ID_PATTERN.matcher(text).matches();
    }

    /**
     * The wedding in a row, or null after adding at least one problem to {@code problems}.
     *
     * @param values the trimmed value of every column, empty when absent
     */
    static Wedding parse(int line, Map<CsvColumn, String> values, List<CsvProblem> problems) {
        return new WeddingRowParser(line, problems).parse(values);
    }

    private Wedding parse(Map<CsvColumn, String> values) {
        String id = id(values.get(ID));
        ZoneId zone = zone(values.get(TIME_ZONE));
        LocalDateTime start = dateTime(CEREMONY_START, values.get(CEREMONY_START));
        LocalDateTime end = dateTime(RECEPTION_END, values.get(RECEPTION_END));
        LocalDate date = date(values.get(DATE), start);
        if (start != null && end != null) {
            checkOrder(start, end);
        }
        int guests = guests(values.get(GUEST_COUNT));
        String venue = venue(values.get(VENUE));
        List<String> vendors = vendors(values.get(VENDOR_IDS));
        WeddingStatus status = status(values.get(STATUS));
        Coordinator coordinator = coordinator(values.get(COORDINATOR_NAME), values.get(COORDINATOR_EMAIL),
                values.get(COORDINATOR_PHONE));
        if (problems.size() > problemsBefore) {
            return null;
        }
        try {
            return new Wedding(id, date, zone, start, end, guests, venue, vendors, status, SOURCE, coordinator);
        } catch (IllegalArgumentException e) {
            // Wedding's messages name fields and non-personal values only.
            problem(null, "the wedding was rejected: " + e.getMessage());
            return null;
        }
    }

    private String id(String text) {
        if (text.isEmpty()) {
            problem(ID, "id is missing; every row needs an id that is unique in the file");
        } else if (!isId(text)) {
            problem(ID, "id " + Quote.of(text) + " is not a valid id: use 1-128 letters, digits or . _ - : @,"
                    + " starting with a letter or digit");
        }
        return text;
    }

    private ZoneId zone(String text) {
        if (text.isEmpty()) {
            problem(TIME_ZONE, "time_zone is missing; give the venue's IANA time zone id such as Europe/London");
            return null;
        }
        String known = ZONES_BY_LOWER_CASE.get(text.toLowerCase(Locale.ROOT));
        if (known != null) {
            return ZoneId.of(known);
        }
        if (FIXED_OFFSET.matcher(text).matches()) {
            problem(TIME_ZONE, "time_zone " + Quote.of(text) + " is a fixed offset, not an IANA time zone id such as"
                    + " Europe/London (a zone id follows the venue's daylight saving time)");
        } else {
            problem(TIME_ZONE, "time_zone " + Quote.of(text) + " is not an IANA time zone id such as Europe/London");
        }
        return null;
    }

    private LocalDateTime dateTime(CsvColumn column, String text) {
        String name = column.header();
        if (text.isEmpty()) {
            problem(column, name + " is missing; give the local date and time such as " + DATE_TIME_EXAMPLE);
            return null;
        }
        if (DATE_TIME_PATTERN.matcher(text).matches()) {
            try {
                return LocalDateTime.parse(text.replace(' ', 'T'));
            } catch (DateTimeParseException e) {
                problem(column, name + " " + Quote.of(text) + " is not a real date and time; check the day, month"
                        + " and hour");
                return null;
            }
        }
        if (WITH_OFFSET.matcher(text).matches()) {
            problem(column, name + " " + Quote.of(text) + " has a time zone offset; write the local time without"
                    + " it, such as " + DATE_TIME_EXAMPLE + " (the zone comes from time_zone)");
        } else if (DATE_PATTERN.matcher(text).matches()) {
            problem(column, name + " " + Quote.of(text) + " has no time of day; write it such as "
                    + DATE_TIME_EXAMPLE);
        } else {
            problem(column, name + " " + Quote.of(text) + " is not a local date and time such as "
                    + DATE_TIME_EXAMPLE);
        }
        return null;
    }

    private LocalDate date(String text, LocalDateTime start) {
        if (text.isEmpty()) {
            return null;
        }
        if (!DATE_PATTERN.matcher(text).matches()) {
            problem(DATE, "date " + Quote.of(text) + " is not a date such as 2026-06-13; leave it empty to use the"
                    + " date of ceremony_start");
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            problem(DATE, "date " + Quote.of(text) + " is not a real date; check the day and month");
            return null;
        }
        if (start != null && !date.equals(start.toLocalDate())) {
            problem(DATE, "date " + date + " is not the date of ceremony_start " + start + "; date is the"
                    + " ceremony's day (leave it empty to use it)");
        }
        return date;
    }

    private void checkOrder(LocalDateTime start, LocalDateTime end) {
        if (!end.isAfter(start)) {
            problem(RECEPTION_END, "reception_end " + end + " is not after ceremony_start " + start
                    + "; a reception that ends after midnight ends on the next date, such as "
                    + start.toLocalDate().plusDays(1) + " 01:00");
        } else if (Duration.between(start, end).compareTo(Duration.ofHours(36)) > 0) {
            problem(RECEPTION_END, "reception_end " + end + " is more than 36 hours after ceremony_start " + start
                    + "; check its date");
        }
    }

    private int guests(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        if (NEGATIVE.matcher(text).matches()) {
            problem(GUEST_COUNT, "guest_count " + Quote.of(text) + " is negative; give the expected number of"
                    + " guests, 0 or more");
            return -1;
        }
        if (!WHOLE_NUMBER.matcher(text).matches()) {
            problem(GUEST_COUNT, "guest_count " + Quote.of(text) + " is not a whole number such as 120");
            return -1;
        }
        String significant = text.replaceFirst("^\\+?0*(?=\\d)", "");
        if (significant.length() > 9 || Integer.parseInt(significant) > Wedding.MAX_GUESTS) {
            problem(GUEST_COUNT, "guest_count " + Quote.of(text) + " is more than the " + Wedding.MAX_GUESTS
                    + " allowed");
            return -1;
        }
        return Integer.parseInt(significant);
    }

    private String venue(String text) {
        if (text.length() > 200) {
            problem(VENUE, "venue is longer than 200 characters; shorten it");
        }
        return text;
    }

    private List<String> vendors(String text) {
        Set<String> ids = new LinkedHashSet<>();
        for (String part : text.split(";", -1)) {
            String id = part.trim();
            if (id.isEmpty()) {
                continue;
            }
            if (!isId(id)) {
                problem(VENDOR_IDS, "vendor_ids has " + Quote.of(id) + ", which is not a vendor id: use 1-128"
                        + " letters, digits or . _ - : @ and separate ids with ;");
                return List.of();
            }
            ids.add(id);
        }
        if (ids.size() > Wedding.MAX_VENDORS) {
            problem(VENDOR_IDS, "vendor_ids lists " + ids.size() + " vendors but at most " + Wedding.MAX_VENDORS
                    + " are allowed");
            return List.of();
        }
        return new ArrayList<>(ids);
    }

    private WeddingStatus status(String text) {
        if (text.isEmpty()) {
            return WeddingStatus.SCHEDULED;
        }
        try {
            return WeddingStatus.parse(text);
        } catch (IllegalArgumentException e) {
            problem(STATUS, "status " + Quote.of(text) + " must be scheduled or cancelled (empty means scheduled)");
            return null;
        }
    }

    /**
     * Checks each field on its own, so that a problem names the column; the messages are written here rather than
     * taken from {@link Coordinator}, which guarantees they never repeat the personal value.
     */
    private Coordinator coordinator(String name, String email, String phone) {
        boolean valid = true;
        if (!valid(() -> new Coordinator(name, null, null))) {
            problem(COORDINATOR_NAME, "coordinator_name is longer than 200 characters" + PERSONAL);
            valid = false;
        }
        if (!valid(() -> new Coordinator(null, email, null))) {
            problem(COORDINATOR_EMAIL, "coordinator_email is not an email address such as name@example.com of at"
                    + " most 254 characters" + PERSONAL);
            valid = false;
        }
        if (!valid(() -> new Coordinator(null, null, phone))) {
            problem(COORDINATOR_PHONE, "coordinator_phone must be 3-32 digits, spaces and + ( ) . / - only"
                    + PERSONAL);
            valid = false;
        }
        return valid ? new Coordinator(name, email, phone) : null;
    }

    private static boolean valid(Runnable construction) {
        try {
            construction.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void problem(CsvColumn column, String message) {
        problems.add(new CsvProblem(line, column == null ? null : column.header(), message));
    }
}
