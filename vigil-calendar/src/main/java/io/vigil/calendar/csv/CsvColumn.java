package io.vigil.calendar.csv;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The columns of a wedding CSV file, as {@link WeddingCsvReader} reads it: UTF-8 (with or without a byte order mark),
 * comma-separated, CRLF or LF line ends, values quoted with {@code "} when they hold commas, quotes or line breaks.
 * The first line is a header naming the columns in any order and any case; {@code id}, {@code time_zone},
 * {@code ceremony_start} and {@code reception_end} are required. Any other column is dropped unread and reported once
 * as a notice, so couple or guest names in an export never reach Vigil. For example:
 *
 * <pre>
 * id,time_zone,ceremony_start,reception_end,guest_count,venue,vendor_ids,status
 * w-1001,Europe/London,2026-06-13 15:00,2026-06-14 01:00,120,Ashdown Barn,florist-7;dj-2,scheduled
 * </pre>
 */
public enum CsvColumn {
    /** Required: the wedding's id, unique in the file. */
    ID("id", true, false, "the wedding's id, unique in the file: 1-128 letters, digits or . _ - : @,"
            + " starting with a letter or digit"),
    /** Optional: the wedding day; when given it must be the date of {@code ceremony_start}. */
    DATE("date", false, false, "the wedding day such as 2026-06-13; when given it must be the date of ceremony_start"),
    /** Required: the venue's IANA time zone id. */
    TIME_ZONE("time_zone", true, false, "the venue's IANA time zone id such as Europe/London"),
    /** Required: local start of the ceremony. */
    CEREMONY_START("ceremony_start", true, false, "the ceremony's local start in time_zone:"
            + " 2026-06-13T15:00, 2026-06-13T15:00:00 or 2026-06-13 15:00"),
    /** Required: local end of the reception; one past midnight is on the next date. */
    RECEPTION_END("reception_end", true, false, "the reception's local end in time_zone, after the ceremony start and"
            + " at most 36 hours later; past midnight it is on the next date, such as 2026-06-14 01:00"),
    /** Optional: expected guests, 0 when empty. */
    GUEST_COUNT("guest_count", false, false, "expected guests, a whole number from 0 to 100000; empty means 0"),
    /** Optional: the venue's name. */
    VENUE("venue", false, false, "the venue's name, at most 200 characters"),
    /** Optional: the booked vendors' ids separated by {@code ;}. */
    VENDOR_IDS("vendor_ids", false, false, "ids of the booked vendors separated by ; (at most 100), each like id"),
    /** Optional: {@code scheduled} (the default) or {@code cancelled}. */
    STATUS("status", false, false, "scheduled (the default when empty) or cancelled"),
    /** Optional, personal data: the coordinator's name, kept only for the emergency chain. */
    COORDINATOR_NAME("coordinator_name", false, true, "the wedding coordinator's name, at most 200 characters"),
    /** Optional, personal data: the coordinator's email address. */
    COORDINATOR_EMAIL("coordinator_email", false, true, "the wedding coordinator's email address"),
    /** Optional, personal data: the coordinator's phone number. */
    COORDINATOR_PHONE("coordinator_phone", false, true, "the wedding coordinator's phone number: digits, spaces"
            + " and + ( ) . / - only");

    private final String header;
    private final boolean required;
    private final boolean personalData;
    private final String description;

    CsvColumn(String header, boolean required, boolean personalData, String description) {
        this.header = header;
        this.required = required;
        this.personalData = personalData;
        this.description = description;
    }

    /** The name in the header row, lower case ({@code time_zone}). */
    public String header() {
        return header;
    }

    /** Whether every file must have this column. */
    public boolean isRequired() {
        return required;
    }

    /** Whether the values are personal data, which no problem message, notice or log ever repeats. */
    public boolean isPersonalData() {
        return personalData;
    }

    /** What the column holds and in which form, for documentation and help text. */
    public String description() {
        return description;
    }

    /** The column a header cell names, ignoring case and surrounding spaces. */
    public static Optional<CsvColumn> forHeader(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.header.equals(wanted)).findFirst();
    }

    /** The required columns, in file order. */
    public static List<CsvColumn> required() {
        return Arrays.stream(values()).filter(CsvColumn::isRequired).toList();
    }

    /** A header row naming every column, for help text. */
    public static String fullHeader() {
        return Arrays.stream(values()).map(CsvColumn::header).collect(Collectors.joining(","));
    }
}
