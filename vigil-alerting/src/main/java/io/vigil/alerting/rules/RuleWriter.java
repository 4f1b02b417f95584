package io.vigil.alerting.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes rules in the format {@link RuleParser} reads, so that what the API or a file returns can be read back
 * unchanged. Thresholds are written as numbers in the statistic's unit (seconds, ratios), durations as {@code 5m}.
 */
public final class RuleWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build());

    private RuleWriter() {}

    /** One rule as a JSON tree. */
    public static ObjectNode toTree(Rule rule) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("id", rule.id());
        n.put("name", rule.name());
        n.put("kind", rule.kind());
        n.put("metric", rule.metric());
        if (!rule.filters().isEmpty()) {
            ObjectNode filters = n.putObject("filters");
            new java.util.TreeMap<>(rule.filters()).forEach(filters::put);
        }
        if (!rule.by().isEmpty()) {
            ArrayNode by = n.putArray("by");
            rule.by().forEach(by::add);
        }
        n.put("for", DurationText.format(rule.pendingFor()));
        rule.interval().ifPresent(i -> n.put("interval", DurationText.format(i)));
        switch (rule) {
            case ThresholdRule t -> {
                n.put("severity", t.severity().wireName());
                n.put("stat", StatText.format(t.stat()));
                n.put("window", DurationText.format(t.window()));
                n.put("comparison", t.comparison().symbol());
                n.put("threshold", t.threshold());
                if (t.recovery() != t.threshold()) {
                    n.put("recovery", t.recovery());
                }
                if (t.minSamples() > 0) {
                    n.put("minSamples", t.minSamples());
                }
            }
            case SloRule s -> {
                n.put("objective", s.objective());
                n.put("period", DurationText.format(s.period()));
                ArrayNode windows = n.putArray("windows");
                for (BurnRatePair p : s.pairs()) {
                    ObjectNode w = windows.addObject();
                    w.put("long", DurationText.format(p.longWindow()));
                    w.put("short", DurationText.format(p.shortWindow()));
                    w.put("factor", p.factor());
                    w.put("severity", p.severity().wireName());
                }
                n.put("minRequests", s.minRequests());
            }
            case RegressionRule r -> {
                n.put("severity", r.severity().wireName());
                n.put("stat", StatText.format(r.stat()));
                n.put("window", DurationText.format(r.window()));
                n.put("reference", r.reference().text());
                n.put("ratio", r.ratio());
                if (r.recoveryRatio() != r.ratio()) {
                    n.put("recoveryRatio", r.recoveryRatio());
                }
                n.put("minSamples", r.minSamples());
            }
        }
        return n;
    }

    /** One rule as JSON, as the API answers it. */
    public static String toJson(Rule rule) {
        return write(JSON, toTree(rule));
    }

    /** A rules file in YAML. */
    public static String toYaml(List<? extends Rule> rules) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode list = root.putArray("rules");
        rules.forEach(r -> list.add(toTree(r)));
        return write(YAML, root);
    }

    private static String write(ObjectMapper mapper, Object tree) {
        try {
            return mapper.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
