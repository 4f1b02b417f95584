package io.vigil.engine.query;

import io.vigil.core.Labels;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a series counts failures, for {@code error_rate} and {@code availability}: a status label
 * ({@code status}, {@code code}, {@code status_code}, {@code http_status_code}, {@code http.status_code},
 * {@code http.response.status_code}) with a 5xx value, an {@code outcome} or {@code result} label of
 * {@code error}/{@code failure}/{@code failed}, or {@code error="true"}.
 */
public final class ErrorClassifier {
    private static final String[] STATUS = {"status", "code", "status_code", "http_status_code", "http.status_code",
        "http.response.status_code"};
    private static final Set<String> FAILED = Set.of("error", "failure", "failed", "server_error");

    private ErrorClassifier() {}

    public static boolean isError(Labels labels) {
        for (String name : STATUS) {
            String v = labels.get(name);
            if (v != null && v.length() == 3 && v.charAt(0) == '5') {
                return true;
            }
        }
        String outcome = labels.get("outcome");
        if (outcome == null) {
            outcome = labels.get("result");
        }
        if (outcome != null && FAILED.contains(outcome.toLowerCase(Locale.ROOT))) {
            return true;
        }
        return "true".equalsIgnoreCase(labels.get("error"));
    }
}
