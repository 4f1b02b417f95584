package io.vigil.alerting.lifecycle;

/**
 * Where an alert is in its lifecycle: not breaching ({@code INACTIVE}), breaching but not yet for the rule's
 * {@code for} ({@code PENDING}), open ({@code FIRING}), or closed again ({@code RESOLVED}).
 */
public enum AlertState { INACTIVE, PENDING, FIRING, RESOLVED }
