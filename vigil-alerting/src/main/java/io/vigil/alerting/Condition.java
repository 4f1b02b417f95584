package io.vigil.alerting;

/**
 * What one evaluation found for one group of series, with the rule's recovery hysteresis applied: past the threshold
 * ({@code BREACHING}), back past the recovery threshold ({@code CLEAR}), in between ({@code HOLDING}: an open alert
 * stays open, a closed one stays closed), or nothing to judge ({@code NO_DATA}, including traffic below a rule's
 * minimum).
 */
public enum Condition { BREACHING, HOLDING, CLEAR, NO_DATA }
