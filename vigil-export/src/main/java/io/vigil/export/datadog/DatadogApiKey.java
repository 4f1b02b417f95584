package io.vigil.export.datadog;

/**
 * The Datadog API key, kept apart so that it cannot reach a log or a message by accident: its {@link #toString()}
 * hides it, and only the request header reads {@link #value()}.
 */
final class DatadogApiKey {
    private final String value;

    DatadogApiKey(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the Datadog API key is missing or blank");
        }
        this.value = value.strip();
    }

    /** The key, for the {@code DD-API-KEY} header only. */
    String value() {
        return value;
    }

    @Override
    public String toString() {
        return "DatadogApiKey[hidden]";
    }
}
