package io.vigil.core.wedding;

import java.util.Locale;

/** The kinds of critical-path events (W3); see {@link WeddingEvent}. */
public enum WeddingEventType {
    /** A milestone's planned time; {@code name} is the milestone. */
    MILESTONE_PLANNED(true, false, "the milestone", null),
    /** A milestone happened; {@code name} is the milestone. */
    MILESTONE_REACHED(true, false, "the milestone", null),
    /** Guests arrived; {@code count} of them. */
    GUEST_CHECKIN(false, false, null, null),
    /** The platform asked a vendor for something; {@code name} is the vendor, {@code ref} the request. */
    VENDOR_REQUEST(true, true, "the vendor id", "the request id"),
    /** The vendor acknowledged a request; {@code ref} is the request. */
    VENDOR_ACK(false, true, null, "the request id"),
    /** An emergency was raised; {@code name} is its category, {@code ref} the emergency. */
    EMERGENCY_RAISED(true, true, "the category, such as power or medical", "the emergency id"),
    /** The first response to an emergency; {@code ref} is the emergency. */
    EMERGENCY_RESPONSE(false, true, null, "the emergency id");

    private final boolean needsName;
    private final boolean needsRef;
    private final String nameMeaning;
    private final String refMeaning;

    WeddingEventType(boolean needsName, boolean needsRef, String nameMeaning, String refMeaning) {
        this.needsName = needsName;
        this.needsRef = needsRef;
        this.nameMeaning = nameMeaning;
        this.refMeaning = refMeaning;
    }

    public boolean needsName() {
        return needsName;
    }

    public boolean needsRef() {
        return needsRef;
    }

    String nameMeaning() {
        return nameMeaning;
    }

    String refMeaning() {
        return refMeaning;
    }

    /** The snake_case name used in JSON ({@code guest_checkin}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type for its JSON name, any case. */
    public static WeddingEventType parse(String text) {
        for (WeddingEventType t : values()) {
            if (t.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("type was '" + text + "' but it must be one of milestone_planned,"
                + " milestone_reached, guest_checkin, vendor_request, vendor_ack, emergency_raised, emergency_response");
    }
}
