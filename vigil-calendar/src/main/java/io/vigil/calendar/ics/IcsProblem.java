package io.vigil.calendar.ics;

/**
 * Why one VEVENT did not become a wedding. Never quotes the event's content: only its position, its UID when that is
 * a valid wedding id, and property names.
 *
 * @param event the event's position among the document's VEVENTs, from 1
 * @param uid the event's UID when it is a valid wedding id, else null
 * @param message what is wrong and how to fix it
 */
public record IcsProblem(int event, String uid, String message) {

    @Override
    public String toString() {
        return "event " + event + (uid == null ? "" : " (UID " + uid + ")") + ": " + message;
    }
}
