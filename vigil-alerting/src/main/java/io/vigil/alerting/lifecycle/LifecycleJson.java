package io.vigil.alerting.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * JSON for the lifecycle's records (the {@link LifecycleState} snapshot, silences, maintenance windows, history
 * entries, views): instants and local times as ISO-8601 strings, durations as {@code PT2M}, map keys sorted, unknown
 * properties ignored on reading so that a newer snapshot still loads.
 */
public final class LifecycleJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private LifecycleJson() {}

    /** A copy of the configured mapper, for callers that serialise these records inside their own documents. */
    public static ObjectMapper mapper() {
        return MAPPER.copy();
    }

    /** The value as JSON. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Reads JSON written by {@link #write}; throws IllegalArgumentException on bad JSON. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The snapshot as JSON. */
    public static String writeState(LifecycleState state) {
        return write(state);
    }

    /** A snapshot from JSON. */
    public static LifecycleState readState(String json) {
        return read(json, LifecycleState.class);
    }
}
