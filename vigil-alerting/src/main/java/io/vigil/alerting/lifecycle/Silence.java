package io.vigil.alerting.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Mutes the alerts whose labels satisfy all its matchers from {@code startsAt} (inclusive) to {@code endsAt}
 * (exclusive): they are still tracked, but write no intents. Unlike a maintenance window a silence mutes any priority,
 * P0 included: someone chose these alerts by hand.
 *
 * @param id the silence's id
 * @param matchers at least one; all must match
 * @param startsAt when it starts muting
 * @param endsAt when it stops (expiring a silence sets this to now)
 * @param createdBy who made it
 * @param comment why
 */
public record Silence(String id, List<LabelMatcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
                      String comment) {

    public Silence {
        Objects.requireNonNull(id, "id");
        matchers = List.copyOf(Objects.requireNonNull(matchers, "matchers"));
        if (matchers.isEmpty()) {
            throw new IllegalArgumentException("a silence needs at least one matcher");
        }
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(endsAt, "endsAt");
        if (endsAt.isBefore(startsAt)) {
            throw new IllegalArgumentException("a silence cannot end before it starts");
        }
        createdBy = createdBy == null ? "" : createdBy;
        comment = comment == null ? "" : comment;
    }

    /** Whether it mutes at {@code at}. */
    public boolean activeAt(Instant at) {
        return !at.isBefore(startsAt) && at.isBefore(endsAt);
    }

    /** Whether all matchers accept these labels (with the pseudo-labels). */
    public boolean matches(Map<String, String> labels) {
        return matchers.stream().allMatch(m -> m.matches(labels));
    }

    /** This silence ending at {@code at}, or never starting if {@code at} is before its start. */
    public Silence expiredAt(Instant at) {
        Instant end = at.isBefore(endsAt) ? at : endsAt;
        return new Silence(id, matchers, startsAt, end.isBefore(startsAt) ? startsAt : end, createdBy, comment);
    }
}
