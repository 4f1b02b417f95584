package io.vigil.alerting.lifecycle;

import io.vigil.alerting.Observation;
import io.vigil.alerting.Rating;
import java.util.Objects;

/** One rule's finding for one group at one evaluation, with the wedding-impact rating it was given. */
public record RatedObservation(Observation observation, Rating rating) {
    public RatedObservation {
        Objects.requireNonNull(observation, "observation");
        Objects.requireNonNull(rating, "rating");
        Objects.requireNonNull(rating.priority(), "rating.priority");
        Objects.requireNonNull(rating.impact(), "rating.impact");
    }

    /** The identity of the alert it is about. */
    public String fingerprint() {
        return observation.fingerprint();
    }
}
