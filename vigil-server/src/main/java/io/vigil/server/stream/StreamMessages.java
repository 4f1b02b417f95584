package io.vigil.server.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.calendar.ContextJson;
import io.vigil.calendar.WeddingContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON messages of both stream protocols (docs/streams.md): {@code update}, {@code heartbeat}, {@code error},
 * {@code subscribed} and {@code unsubscribed}.
 */
public final class StreamMessages {
    static final ObjectMapper JSON = new ObjectMapper();

    private StreamMessages() {}

    /** An update: the statistic per group over the trailing window ending {@code at}, with the wedding context. */
    public static String update(String subscription, StreamSpec spec, Instant at, long seq,
                                List<Map<String, Object>> groups, WeddingContext context) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "update");
        m.put("subscription", subscription);
        m.put("metric", spec.metricName());
        if (spec.wedding() != null) {
            m.put("wedding", spec.wedding());
        }
        if (spec.loadTest() != null) {
            m.put("loadTest", spec.loadTest());
        }
        m.put("stat", spec.statText());
        m.put("window", spec.windowText());
        m.put("at", at.toString());
        m.put("seq", seq);
        m.put("groups", groups);
        m.put("context", ContextJson.write(context));
        return write(m);
    }

    public static String heartbeat(Instant at) {
        return write(Map.of("type", "heartbeat", "at", at.toString()));
    }

    /** An error; {@code subscription} may be null when the message could not be tied to one. */
    public static String error(String subscription, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "error");
        if (subscription != null) {
            m.put("subscription", subscription);
        }
        m.put("message", message);
        return write(m);
    }

    /** The acknowledgement of a (un)subscription; {@code type} is {@code subscribed} or {@code unsubscribed}. */
    public static String ack(String type, String subscription) {
        return write(Map.of("type", type, "subscription", subscription));
    }

    static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
