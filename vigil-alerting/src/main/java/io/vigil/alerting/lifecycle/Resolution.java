package io.vigil.alerting.lifecycle;

/**
 * Why a firing alert was resolved: its condition came back past the recovery threshold ({@code CLEARED}), its rule
 * kept reporting no data ({@code NO_DATA}), or nothing reported on it at all for a long time ({@code STALE}: the rule
 * was removed or stopped being evaluated).
 */
public enum Resolution { CLEARED, NO_DATA, STALE }
