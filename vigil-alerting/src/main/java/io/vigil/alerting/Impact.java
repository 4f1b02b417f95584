package io.vigil.alerting;

/** The wedding impact of an alert (A2): critical (weddings are being hurt now), potential, or none. */
public enum Impact {
    CRITICAL, POTENTIAL, NONE;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
