package io.vigil.core.wedding;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One event on a wedding's critical path, as reported by the platform on the day. Never holds personal data: guests
 * are counted, not named; vendors and emergencies are named by id and category.
 *
 * @param weddingId the wedding
 * @param id the sender's id of this event, so that a retried report is stored once (1-128 of letters, digits,
 *     {@code . _ - : @})
 * @param type what happened
 * @param name the milestone ({@code ceremony}, {@code first-dance}), the vendor id, or the emergency category
 *     ({@code power}, {@code medical}); required for milestones, vendor events and raised emergencies
 * @param ref what pairs two events: the vendor request id, the emergency id; required for vendor and emergency
 *     events
 * @param at when it happened (for {@link WeddingEventType#MILESTONE_PLANNED}: the planned time)
 * @param count guests checked in by a {@link WeddingEventType#GUEST_CHECKIN} (1-10,000); 1 for other types
 */
public record WeddingEvent(String weddingId, String id, WeddingEventType type, String name, String ref, Instant at,
                           int count) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    /** @throws IllegalArgumentException naming the field and the rule */
    public WeddingEvent {
        requireId("weddingId", weddingId);
        requireId("id", id);
        Objects.requireNonNull(type, "type");
        if (at == null) {
            throw new IllegalArgumentException("event " + id + ": at is missing");
        }
        name = name == null || name.isBlank() ? null : name.trim();
        ref = ref == null || ref.isBlank() ? null : ref.trim();
        if (name != null && !ID.matcher(name).matches()) {
            throw new IllegalArgumentException("event " + id + ": name must be 1-128 letters, digits or . _ - : @");
        }
        if (ref != null && !ID.matcher(ref).matches()) {
            throw new IllegalArgumentException("event " + id + ": ref must be 1-128 letters, digits or . _ - : @");
        }
        if (type.needsName() && name == null) {
            throw new IllegalArgumentException("event " + id + ": a " + type.wireName() + " event needs a name ("
                    + type.nameMeaning() + ")");
        }
        if (type.needsRef() && ref == null) {
            throw new IllegalArgumentException("event " + id + ": a " + type.wireName() + " event needs a ref ("
                    + type.refMeaning() + ")");
        }
        if (type == WeddingEventType.GUEST_CHECKIN) {
            if (count < 1 || count > 10_000) {
                throw new IllegalArgumentException("event " + id + ": count was " + count
                        + " but a guest_checkin counts 1 to 10000 guests");
            }
        } else {
            count = 1;
        }
    }

    private static void requireId(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " " + (value == null ? "is missing" : "is invalid")
                    + ": it must be 1-128 letters, digits or . _ - : @");
        }
    }
}
