package io.vigil.server.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.store.EventChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a node tells the others on the event channel after a flush wrote data to the shared store: its node id, the
 * names of the metrics flushed (or "all of them" when too many to list), and whether the flush created series. Never
 * label values or data: a notice only says where to look, and the receiving node reads the store.
 *
 * <pre>
 * {"v":1,"node":"node-a","newSeries":false,"metrics":["guest_checkins_total","http_request_duration_seconds"]}
 * {"v":1,"node":"node-a","newSeries":true,"all":true}
 * </pre>
 *
 * @param node the publishing node's id
 * @param metrics the metric names; empty when {@code all}
 * @param all whether every metric may have changed
 * @param newSeries whether the flush created series (the receiver must learn them before its queries find them)
 */
record FlushNotice(String node, Set<String> metrics, boolean all, boolean newSeries) {
    /** Most messages one flush is announced in; a longer list is sent as one "all" notice. */
    static final int MAX_MESSAGES = 8;
    static final int VERSION = 1;

    FlushNotice {
        metrics = Set.copyOf(metrics);
    }

    /**
     * The messages announcing one flush, each at most {@link EventChannel#MAX_PAYLOAD_CHARS} characters: the metric
     * names split over as few messages as they fit in, or a single "all" notice when they need more than
     * {@link #MAX_MESSAGES} (or one name alone does not fit).
     */
    static List<String> encode(String node, Set<String> metrics, boolean all, boolean newSeries) {
        String head = "{\"v\":" + VERSION + ",\"node\":" + quote(node) + ",\"newSeries\":" + newSeries;
        String allNotice = head + ",\"all\":true}";
        if (all) {
            return List.of(allNotice);
        }
        String open = head + ",\"metrics\":[";
        int room = EventChannel.MAX_PAYLOAD_CHARS - open.length() - 2; // "]}"
        List<String> messages = new ArrayList<>();
        StringBuilder names = new StringBuilder();
        for (String metric : new TreeSet<>(metrics)) {
            String quoted = quote(metric);
            if (quoted.length() > room) {
                return List.of(allNotice);
            }
            if (names.length() + 1 + quoted.length() > room) {
                messages.add(open + names + "]}");
                names.setLength(0);
                if (messages.size() == MAX_MESSAGES) {
                    return List.of(allNotice);
                }
            }
            names.append(names.isEmpty() ? "" : ",").append(quoted);
        }
        if (!names.isEmpty()) {
            messages.add(open + names + "]}");
        }
        return messages;
    }

    /** Reads a notice; null when the payload is not one (another version, or not from a Vigil node). */
    static FlushNotice decode(String payload) {
        JsonNode n;
        try {
            n = StreamMessages.JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (n == null || !n.isObject() || n.path("v").asInt() != VERSION || !n.path("node").isTextual()) {
            return null;
        }
        boolean all = n.path("all").asBoolean(false);
        Set<String> metrics = new LinkedHashSet<>();
        for (JsonNode m : n.path("metrics")) {
            if (m.isTextual()) {
                metrics.add(m.asText());
            }
        }
        if (!all && metrics.isEmpty()) {
            return null;
        }
        return new FlushNotice(n.path("node").asText(), all ? Set.of() : metrics, all,
                n.path("newSeries").asBoolean(false));
    }

    private static String quote(String s) {
        try {
            return StreamMessages.JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
