package io.vigil.alerting.rules;

import java.util.Map;
import java.util.Optional;

/**
 * Resolves a named reference (a release marker, a load-test run) to the window a regression rule compares with.
 * Release markers and load tests plug in here; a name that cannot be resolved makes the rule NO_DATA.
 */
@FunctionalInterface
public interface ReferenceWindows {

    /** Resolves nothing: every named reference is unknown. */
    ReferenceWindows NONE = ref -> Optional.empty();

    /** The window the reference stands for, or empty when it is unknown (yet). */
    Optional<TimeWindow> resolve(Reference.Named reference);

    /** A fixed table, keyed by the rule-file form ({@code marker:release-42}, {@code run:lt-17}). */
    static ReferenceWindows of(Map<String, TimeWindow> windows) {
        Map<String, TimeWindow> copy = Map.copyOf(windows);
        return ref -> Optional.ofNullable(copy.get(ref.text()));
    }
}
