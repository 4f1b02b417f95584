package io.vigil.alerting.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.alerting.lifecycle.AckTarget;
import io.vigil.alerting.lifecycle.LifecycleJson;
import io.vigil.alerting.lifecycle.LifecycleState;
import io.vigil.alerting.lifecycle.MaintenanceWindow;
import io.vigil.alerting.lifecycle.Silence;
import io.vigil.store.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What any node may do to alerting through the state store, for the API: read the alerts (the evaluating node's
 * last snapshot), ask for an acknowledgement, put or expire silences and maintenance windows, store rules. The
 * evaluating node applies requests at its next tick (within a second).
 */
public final class AlertingRequests {
    static final String LIFECYCLE_KIND = "alerting";
    static final String LIFECYCLE_ID = "lifecycle";
    static final String ACK_KIND = "alert-ack";
    static final String SILENCE_KIND = "silence";
    static final String WINDOW_KIND = "maintenance-window";
    static final String RULE_KIND = "rule";

    private final StateStore state;

    public AlertingRequests(StateStore state) {
        this.state = state;
    }

    /** The alerting state as the evaluating node last wrote it (empty before the first evaluation). */
    public Optional<LifecycleState> snapshot() {
        return state.get(LIFECYCLE_KIND, LIFECYCLE_ID).map(LifecycleJson::readState);
    }

    /** Asks for an acknowledgement of an alert (by fingerprint) or a group (by key). */
    public void acknowledge(AckTarget target, String by, String comment, String via, Instant at) {
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("scope", target.scope().name());
        ack.put("target", target.id());
        ack.put("by", by);
        ack.put("comment", comment);
        ack.put("via", via);
        ack.put("at", at.toString());
        state.put(ACK_KIND, Map.of(UUID.randomUUID().toString(), LifecycleJson.write(ack)));
    }

    public void putSilence(Silence s) {
        state.put(SILENCE_KIND, Map.of(s.id(), LifecycleJson.write(s)));
    }

    /** Removes a silence; it stops muting at the next tick. */
    public boolean deleteSilence(String id) {
        return state.delete(SILENCE_KIND, id);
    }

    public Map<String, String> silences() {
        return state.list(SILENCE_KIND);
    }

    public void putWindow(MaintenanceWindow w) {
        state.put(WINDOW_KIND, Map.of(w.id(), LifecycleJson.write(w)));
    }

    public boolean deleteWindow(String id) {
        return state.delete(WINDOW_KIND, id);
    }

    public Map<String, String> windows() {
        return state.list(WINDOW_KIND);
    }

    /** Stores a rule written through the API (validated by the caller), as JSON. */
    public void putRule(String id, String json) {
        state.put(RULE_KIND, Map.of(id, json));
    }

    public boolean deleteRule(String id) {
        return state.delete(RULE_KIND, id);
    }

    public Map<String, String> rules() {
        return state.list(RULE_KIND);
    }

    static JsonNode tree(String json) {
        try {
            return LifecycleJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
