package io.vigil.alerting.lifecycle;

import java.util.Objects;

/** What an acknowledgement is for: one alert (by fingerprint) or every firing alert of a group (by group key). */
public record AckTarget(Scope scope, String id) {

    /** Alert or group. */
    public enum Scope { ALERT, GROUP }

    public AckTarget {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(id, "id");
    }

    public static AckTarget alert(String fingerprint) {
        return new AckTarget(Scope.ALERT, fingerprint);
    }

    public static AckTarget group(String groupKey) {
        return new AckTarget(Scope.GROUP, groupKey);
    }
}
