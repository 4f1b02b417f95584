package io.vigil.alerting.lifecycle;

import io.vigil.alerting.Condition;
import io.vigil.alerting.Impact;
import io.vigil.alerting.Observation;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Rating;
import io.vigil.alerting.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds rated observations for one rule and label group. */
record Obs(String rule, Map<String, String> labels, Duration pendingFor, Priority priority, Impact impact) {

    /** Rule {@code rule} for wedding {@code w-1}, no {@code for}, rated P1 POTENTIAL. */
    static Obs rule(String rule) {
        return new Obs(rule, Map.of("wedding_id", "w-1"), Duration.ZERO, Priority.P1, Impact.POTENTIAL);
    }

    Obs labels(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return new Obs(rule, m, pendingFor, priority, impact);
    }

    Obs pendingFor(Duration d) {
        return new Obs(rule, labels, d, priority, impact);
    }

    Obs rated(Priority p, Impact i) {
        return new Obs(rule, labels, pendingFor, p, i);
    }

    RatedObservation at(Instant at, Condition c) {
        String summary = switch (c) {
            case BREACHING -> "p95 2.4 s > 500 ms";
            case HOLDING -> "p95 450 ms, recovering";
            case CLEAR -> "p95 200 ms";
            case NO_DATA -> "no data";
        };
        return new RatedObservation(new Observation(rule, "http.server.duration", labels, c, 2.4, 0.5, pendingFor,
                Severity.HIGH, summary, at), new Rating(impact, priority, priority + " " + impact.wireName()));
    }

    RatedObservation breaching(Instant at) {
        return at(at, Condition.BREACHING);
    }

    RatedObservation clear(Instant at) {
        return at(at, Condition.CLEAR);
    }

    String fingerprint() {
        return io.vigil.alerting.Fingerprint.of(rule, labels);
    }
}
