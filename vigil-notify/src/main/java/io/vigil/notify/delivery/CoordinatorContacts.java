package io.vigil.notify.delivery;

import io.vigil.core.wedding.Coordinator;
import io.vigil.core.wedding.Wedding;
import io.vigil.store.WeddingStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The contacts of the coordinators of affected weddings, read from the calendar when a message is sent (they are
 * never copied into a message or a queued delivery): email addresses for an email channel, phone numbers (spaces
 * and punctuation removed) for SMS and voice.
 */
public final class CoordinatorContacts {
    private final WeddingStore weddings;

    public CoordinatorContacts(WeddingStore weddings) {
        this.weddings = weddings;
    }

    /** The addresses a channel of {@code type} uses, for the weddings' coordinators who have one. */
    public List<String> forChannel(String type, List<String> weddingIds) {
        Set<String> out = new LinkedHashSet<>();
        for (String id : weddingIds) {
            Coordinator c = weddings.get(id).map(Wedding::coordinator).orElse(null);
            if (c == null) {
                continue;
            }
            if (type.equals("email") && c.email() != null) {
                out.add(c.email());
            } else if ((type.equals("sms") || type.equals("voice")) && c.phone() != null) {
                out.add(c.phone().replaceAll("[ ()./-]", ""));
            }
        }
        return List.copyOf(out);
    }
}
