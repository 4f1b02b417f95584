package io.vigil.alerting;

/**
 * How bad a rule's condition is on its own, before the wedding impact is rated: the SPEC's severity table
 * (critical: response time 5000 ms, error rate 10 %, availability below 95 %; high: 3000 ms / 5 % / 97 %; medium:
 * 2000 ms / 2 % / 99 %), and {@code low} for tickets such as a slow SLO burn.
 */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
