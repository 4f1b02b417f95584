package io.vigil.alerting.lifecycle;

import java.time.Instant;
import java.util.Objects;

/**
 * Someone took an alert on: who, when, their comment and how ({@code api} or {@code link}).
 */
public record Acknowledgement(String by, Instant at, String comment, String via) {
    public Acknowledgement {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
        comment = comment == null ? "" : comment;
        via = via == null ? "api" : via;
    }
}
