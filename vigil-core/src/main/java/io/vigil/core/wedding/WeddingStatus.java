package io.vigil.core.wedding;

import java.util.Locale;

/** Whether a wedding is still going to happen. */
public enum WeddingStatus {
    SCHEDULED,
    CANCELLED;

    /** The status for its JSON/CSV/ICS name ({@code scheduled}, {@code cancelled}, any case). */
    public static WeddingStatus parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        return switch (t) {
            case "SCHEDULED", "CONFIRMED", "TENTATIVE" -> SCHEDULED;
            case "CANCELLED", "CANCELED" -> CANCELLED;
            default -> throw new IllegalArgumentException("status was '" + text
                    + "' but it must be scheduled or cancelled");
        };
    }

    /** The lower-case name used in JSON and CSV. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
