package io.vigil.alerting;

/**
 * The wedding-impact rating of an alert (A2) and the priority it maps to, with a one-line explanation such as
 * {@code 3 active weddings use photo upload; p95 2.4 s > 500 ms for 4 min}.
 */
public record Rating(Impact impact, Priority priority, String explanation) {}
