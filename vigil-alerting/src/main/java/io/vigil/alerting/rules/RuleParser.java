package io.vigil.alerting.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.alerting.Severity;
import io.vigil.core.Stat;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads rules from a rules file ({@code rules: [...]} in YAML or JSON) or a single rule's JSON (the API). Every problem
 * is reported with its path ({@code rules[3].threshold}) and what is allowed there; unknown fields are refused, so a
 * typo never silently disables part of a rule. The format is described in {@code default-rules.md}.
 */
public final class RuleParser {
    /** Most rules one file may hold. */
    public static final int MAX_RULES = 100_000;

    static final List<String> COMMON = List.of("id", "name", "kind", "metric", "filters", "by", "for", "interval");
    static final List<String> THRESHOLD = List.of("severity", "stat", "window", "comparison", "threshold", "recovery",
            "minSamples");
    static final List<String> SLO = List.of("objective", "period", "windows", "minRequests");
    static final List<String> REGRESSION = List.of("severity", "stat", "window", "reference", "ratio", "recoveryRatio",
            "minSamples");
    static final List<String> PAIR = List.of("long", "short", "factor", "severity");
    private static final Pattern AMOUNT = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|%)?");

    private static final ObjectMapper YAML = mapper(new ObjectMapper(YAMLFactory.builder()
            .streamReadConstraints(limits()).build()));
    private static final ObjectMapper JSON = mapper(new ObjectMapper());

    private final List<RuleProblem> problems = new ArrayList<>();

    private RuleParser() {}

    /** Parses a YAML rules file. @throws RuleFileException listing every problem */
    public static List<Rule> parseYaml(String text) {
        return parseFile(read(YAML, text));
    }

    /** Parses a JSON rules file ({@code {"rules": [...]}}). @throws RuleFileException listing every problem */
    public static List<Rule> parseJson(String text) {
        return parseFile(read(JSON, text));
    }

    /** Parses one rule's JSON object, as the API receives it. @throws RuleFileException listing every problem */
    public static Rule parseRule(String json) {
        return parseRule(read(JSON, json));
    }

    /** Parses a rules document already read into a tree. @throws RuleFileException listing every problem */
    public static List<Rule> parseFile(JsonNode root) {
        RuleParser p = new RuleParser();
        List<Rule> rules = p.file(root);
        p.throwIfAny();
        return rules;
    }

    /** Parses one rule already read into a tree. @throws RuleFileException listing every problem */
    public static Rule parseRule(JsonNode node) {
        RuleParser p = new RuleParser();
        Rule rule = p.rule(node, "");
        p.throwIfAny();
        return rule;
    }

    private static JsonNode read(ObjectMapper mapper, String text) {
        if (text == null || text.isBlank()) {
            throw new RuleFileException(List.of(new RuleProblem("", "the rules are empty; expected "
                    + (mapper == YAML ? "'rules:' with a list of rules" : "a JSON object"))));
        }
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new RuleFileException(List.of(new RuleProblem("", "the rules are empty")));
            }
            return node;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new RuleFileException(List.of(new RuleProblem("", "the rules could not be read" + where + ": "
                    + e.getOriginalMessage())));
        }
    }

    private void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new RuleFileException(problems);
        }
    }

    private void problem(String path, String message) {
        problems.add(new RuleProblem(path, message));
    }

    private List<Rule> file(JsonNode root) {
        List<Rule> rules = new ArrayList<>();
        if (!root.isObject()) {
            problem("", "a rules file must be an object with a 'rules' list");
            return rules;
        }
        Fields top = new Fields(root, "", "rules file", List.of("rules"));
        JsonNode list = top.get("rules");
        if (list == null || !list.isArray()) {
            problem("rules", list == null ? "rules is missing: a rules file needs 'rules:' with a list of rules"
                    : "rules must be a list of rules");
            return rules;
        }
        if (list.size() > MAX_RULES) {
            problem("rules", "rules has " + list.size() + " entries; at most " + MAX_RULES + " are allowed per file");
            return rules;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "rules[" + i + "]";
            Rule r = rule(list.get(i), path);
            if (r != null) {
                Integer first = seen.putIfAbsent(r.id(), i);
                if (first != null) {
                    problem(path + ".id", path + ".id '" + r.id() + "' is already the id of rules[" + first
                            + "]; ids must be unique");
                } else {
                    rules.add(r);
                }
            }
        }
        return rules;
    }

    private Rule rule(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            problem(path, name(path, "rule") + " must be an object with id, kind, metric, ...");
            return null;
        }
        int before = problems.size();
        JsonNode kindNode = node.get("kind");
        String kind = kindNode != null && kindNode.isTextual() ? kindNode.asText() : null;
        List<String> specific = switch (kind == null ? "" : kind) {
            case "threshold" -> THRESHOLD;
            case "slo" -> SLO;
            case "regression" -> REGRESSION;
            default -> null;
        };
        if (specific == null) {
            problem(at(path, "kind"), kindNode == null ? at(path, "kind") + " is missing: it must be threshold, slo or "
                    + "regression" : at(path, "kind") + " was " + show(kindNode) + " but it must be threshold, slo or "
                    + "regression");
            return null;
        }
        List<String> allowed = new ArrayList<>(COMMON);
        allowed.addAll(specific);
        if (kind.equals("slo") && node.has("severity")) {
            // Said plainly rather than as an unknown field: the severity of an SLO is set per burn-rate pair.
            problem(at(path, "severity"), at(path, "severity") + " is not used by an slo rule: each burn-rate pair "
                    + "has its own, in windows[i].severity");
            allowed.add("severity");
        }
        Fields f = new Fields(node, path, "rule", allowed);
        RuleBasics basics = basics(f);
        Rule rule = switch (kind) {
            case "threshold" -> threshold(f, basics);
            case "slo" -> slo(f, basics);
            default -> regression(f, basics);
        };
        return problems.size() == before ? rule : null;
    }

    private RuleBasics basics(Fields f) {
        String id = f.text("id", true, "1-128 letters, digits, '.', '_', '-' or ':'");
        if (id != null && !RuleBasics.ID.matcher(id).matches()) {
            f.bad("id", "1-128 letters, digits, '.', '_', '-' or ':'");
            id = null;
        }
        String name = f.text("name", false, "a title of 1-200 characters");
        if (name != null && (name.isBlank() || name.length() > 200)) {
            f.bad("name", "a title of 1-200 characters");
        }
        String metric = f.text("metric", true, "a metric name such as wedding_photo_upload_seconds");
        if (metric != null && !RuleBasics.METRIC.matcher(metric).matches()) {
            f.bad("metric", "a metric name: [a-zA-Z_:][a-zA-Z0-9_:.]*, at most 200 characters");
        }
        Map<String, String> filters = filters(f);
        List<String> by = by(f);
        Duration pendingFor = f.duration("for", false, false);
        Duration interval = f.duration("interval", false, true);
        if (id == null || metric == null) {
            return null;
        }
        try {
            return new RuleBasics(id, name == null ? id : name, metric, filters, by,
                    pendingFor == null ? Duration.ZERO : pendingFor, Optional.ofNullable(interval));
        } catch (IllegalArgumentException e) {
            return null; // already reported field by field
        }
    }

    private Map<String, String> filters(Fields f) {
        JsonNode n = f.get("filters");
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        if (!n.isObject()) {
            f.bad("filters", "an object of label name to value, e.g. {route: /guests}");
            return out;
        }
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            String path = f.at("filters") + "." + e.getKey();
            if (!RuleBasics.LABEL.matcher(e.getKey()).matches()) {
                problem(path, path + " is not a label name: [a-zA-Z_][a-zA-Z0-9_.]*");
            } else if (!e.getValue().isValueNode() || e.getValue().isNull() || e.getValue().asText().isEmpty()) {
                problem(path, path + " must be a non-empty label value (text or a number)");
            } else {
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return out;
    }

    private List<String> by(Fields f) {
        JsonNode n = f.get("by");
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!n.isArray()) {
            f.bad("by", "a list of label names, e.g. [wedding_id, route]");
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            String path = f.at("by") + "[" + i + "]";
            JsonNode v = n.get(i);
            if (!v.isTextual() || !RuleBasics.LABEL.matcher(v.asText()).matches()) {
                problem(path, path + " was " + show(v) + " but it must be a label name: [a-zA-Z_][a-zA-Z0-9_.]*");
            } else if (out.contains(v.asText())) {
                problem(path, path + " repeats the label " + v.asText());
            } else {
                out.add(v.asText());
            }
        }
        return out;
    }

    private Rule threshold(Fields f, RuleBasics basics) {
        Severity severity = f.severity("severity");
        Stat stat = f.stat("stat", false);
        Duration window = f.duration("window", true, true);
        Comparison comparison = f.comparison("comparison");
        Double threshold = f.amount("threshold", true, stat);
        Double recovery = f.amount("recovery", false, stat);
        Long minSamples = f.count("minSamples");
        if (threshold != null && recovery != null && comparison != null
                && (comparison.upward() ? recovery > threshold : recovery < threshold)) {
            problem(f.at("recovery"), f.at("recovery") + " was " + show(f.get("recovery")) + " but with comparison "
                    + comparison.symbol() + " it must be " + (comparison.upward() ? "at most" : "at least")
                    + " the threshold " + show(f.get("threshold")) + " (the value must come back past it to clear)");
            return null;
        }
        if (basics == null || severity == null || stat == null || window == null || comparison == null
                || threshold == null) {
            return null;
        }
        return construct(f, () -> new ThresholdRule(basics, severity, stat, window, comparison, threshold,
                recovery == null ? threshold : recovery, minSamples == null ? 0 : minSamples));
    }

    private Rule slo(Fields f, RuleBasics basics) {
        Double objective = f.objective("objective");
        Duration period = f.duration("period", false, true);
        List<BurnRatePair> pairs = pairs(f);
        Long minRequests = f.count("minRequests");
        if (basics == null || objective == null || pairs == null) {
            return null;
        }
        return construct(f, () -> new SloRule(basics, objective, period == null ? SloRule.DEFAULT_PERIOD : period,
                pairs, minRequests == null ? SloRule.DEFAULT_MIN_REQUESTS : minRequests));
    }

    private List<BurnRatePair> pairs(Fields f) {
        JsonNode n = f.get("windows");
        if (n == null) {
            return BurnRatePair.WORKBOOK;
        }
        if (!n.isArray() || n.isEmpty()) {
            f.bad("windows", "a non-empty list of burn-rate pairs such as {long: 1h, short: 5m, factor: 14.4, "
                    + "severity: critical}; leave it out for the SRE workbook's table");
            return null;
        }
        List<BurnRatePair> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < n.size(); i++) {
            String path = f.at("windows") + "[" + i + "]";
            if (!n.get(i).isObject()) {
                problem(path, path + " must be an object {long, short, factor, severity}");
                ok = false;
                continue;
            }
            int before = problems.size();
            Fields p = new Fields(n.get(i), path, "pair", PAIR);
            Duration longWindow = p.duration("long", true, true);
            Duration shortWindow = p.duration("short", true, true);
            Double factor = p.positive("factor", true);
            Severity severity = p.severity("severity");
            if (longWindow != null && shortWindow != null && shortWindow.compareTo(longWindow) >= 0) {
                problem(p.at("short"), p.at("short") + " was " + show(p.get("short")) + " but it must be shorter "
                        + "than the long window " + show(p.get("long")));
            }
            if (problems.size() != before) {
                ok = false;
                continue;
            }
            out.add(new BurnRatePair(longWindow, shortWindow, factor, severity));
        }
        return ok ? out : null;
    }

    private Rule regression(Fields f, RuleBasics basics) {
        Severity severity = f.severity("severity");
        Stat stat = f.stat("stat", true);
        Duration window = f.duration("window", true, true);
        Reference reference = f.reference("reference");
        Double ratio = f.positive("ratio", true);
        Double recoveryRatio = f.positive("recoveryRatio", false);
        Long minSamples = f.count("minSamples");
        if (ratio != null && ratio <= 1) {
            f.bad("ratio", "a number above 1: 1.2 means 20 % slower than the reference");
            return null;
        }
        if (ratio != null && recoveryRatio != null && recoveryRatio > ratio) {
            f.bad("recoveryRatio", "at most the ratio " + show(f.get("ratio")));
            return null;
        }
        if (basics == null || severity == null || stat == null || window == null || reference == null
                || ratio == null) {
            return null;
        }
        return construct(f, () -> new RegressionRule(basics, severity, stat, window, reference, ratio,
                recoveryRatio == null ? ratio : recoveryRatio,
                minSamples == null ? RegressionRule.DEFAULT_MIN_SAMPLES : minSamples));
    }

    private Rule construct(Fields f, java.util.function.Supplier<Rule> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            // The field checks above should have caught it; this keeps the promise of a problem with a path anyway.
            problem(f.path, name(f.path, "rule") + ": " + e.getMessage());
            return null;
        }
    }

    private static String at(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String name(String path, String fallback) {
        return path.isEmpty() ? "the " + fallback : path;
    }

    /** A value as the user wrote it, for messages: text quoted, numbers as they are. */
    static String show(JsonNode n) {
        if (n == null) {
            return "missing";
        }
        if (n.isTextual()) {
            String t = n.asText();
            return "'" + (t.length() > 80 ? t.substring(0, 80) + "..." : t) + "'";
        }
        if (n.isContainerNode()) {
            return n.isArray() ? "a list" : "an object";
        }
        return n.toString();
    }

    /** One object of the document, with its path, the fields it may have, and typed readers that report problems. */
    private final class Fields {
        final JsonNode node;
        final String path;

        Fields(JsonNode node, String path, String what, List<String> allowed) {
            this.node = node;
            this.path = path;
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!allowed.contains(field)) {
                    problem(RuleParser.at(path, field), (path.isEmpty() ? "the " + what : path)
                            + " has unknown field '" + field + "'; the fields are "
                            + String.join(", ", allowed.subList(0, allowed.size() - 1)) + " and " + allowed.getLast());
                }
            }
        }

        String at(String field) {
            return RuleParser.at(path, field);
        }

        /** The field's value; null when absent or null. */
        JsonNode get(String field) {
            JsonNode n = node.get(field);
            return n == null || n.isNull() ? null : n;
        }

        void bad(String field, String allowed) {
            problem(at(field), at(field) + " was " + show(get(field)) + " but it must be " + allowed);
        }

        void missing(String field, String allowed) {
            problem(at(field), at(field) + " is missing: it must be " + allowed);
        }

        String text(String field, boolean required, String allowed) {
            JsonNode n = get(field);
            if (n == null) {
                if (required) {
                    missing(field, allowed);
                }
                return null;
            }
            if (!n.isTextual()) {
                bad(field, allowed);
                return null;
            }
            return n.asText();
        }

        Duration duration(String field, boolean required, boolean window) {
            String allowed = window ? "a duration that is a multiple of 10s, such as 30s, 5m, 1h or 30d"
                    : "a duration such as 0s, 2m or 1h";
            JsonNode n = get(field);
            if (n == null) {
                if (required) {
                    missing(field, allowed);
                }
                return null;
            }
            if (n.isNumber() && n.asDouble() == 0 && !window) {
                return Duration.ZERO;
            }
            try {
                Duration d = DurationText.parse(n.isTextual() ? n.asText().trim() : "");
                if (window && (d.toMillis() < 10_000 || d.toMillis() % 10_000 != 0)) {
                    bad(field, allowed);
                    return null;
                }
                return d;
            } catch (IllegalArgumentException e) {
                bad(field, allowed);
                return null;
            }
        }

        Severity severity(String field) {
            String allowed = "critical, high, medium or low";
            String t = text(field, true, allowed);
            if (t == null) {
                return null;
            }
            for (Severity s : Severity.values()) {
                if (s.wireName().equals(t)) {
                    return s;
                }
            }
            bad(field, allowed);
            return null;
        }

        Stat stat(String field, boolean percentileOnly) {
            String allowed = percentileOnly ? "a percentile such as p50, p95, p99 or p99.9"
                    : "count, sum, min, max, avg, rate, p50, p90, p95, p99, any pNN.N, error_rate or availability";
            String t = text(field, true, allowed);
            if (t == null) {
                return null;
            }
            try {
                Stat s = Stat.parse(t);
                if (percentileOnly && s.type() != Stat.Type.QUANTILE) {
                    bad(field, allowed);
                    return null;
                }
                return s;
            } catch (IllegalArgumentException e) {
                bad(field, allowed);
                return null;
            }
        }

        Comparison comparison(String field) {
            String allowed = "one of >, >=, <, <= (quoted in YAML: \">\") or gt, ge, lt, le";
            String t = text(field, true, allowed);
            if (t == null) {
                return null;
            }
            Comparison c = Comparison.ofSymbol(t.trim());
            if (c == null) {
                c = switch (t.trim()) {
                    case "gt" -> Comparison.GT;
                    case "ge" -> Comparison.GE;
                    case "lt" -> Comparison.LT;
                    case "le" -> Comparison.LE;
                    default -> null;
                };
            }
            if (c == null) {
                bad(field, allowed);
            }
            return c;
        }

        /**
         * A threshold in the statistic's unit: a plain number, a duration in seconds ({@code 500ms}, {@code 5s}) for
         * statistics measured in the metric's unit, or a percentage ({@code 10%}) for error rate and availability,
         * which are ratios in [0, 1].
         */
        Double amount(String field, boolean required, Stat stat) {
            JsonNode n = get(field);
            if (stat == null) {
                return null; // the unit depends on the statistic, which is reported already
            }
            boolean ratio = stat.type() == Stat.Type.ERROR_RATE || stat.type() == Stat.Type.AVAILABILITY;
            boolean unitOfMetric = switch (stat.type()) {
                case QUANTILE, AVG, MIN, MAX, SUM -> true;
                default -> false;
            };
            String allowed = ratio ? "a ratio between 0 and 1 or a percentage, such as 0.05 or 5%"
                    : unitOfMetric ? "a number in the metric's unit or, for seconds, a duration such as 500ms or 2.5s"
                    : "a number";
            if (n == null) {
                if (required) {
                    missing(field, allowed);
                }
                return null;
            }
            double value;
            if (n.isNumber()) {
                value = n.asDouble();
            } else if (n.isTextual()) {
                Matcher m = AMOUNT.matcher(n.asText().trim());
                if (!m.matches()) {
                    bad(field, allowed);
                    return null;
                }
                String unit = m.group(2);
                if (unit != null && (unit.equals("%") ? !ratio : !unitOfMetric)) {
                    bad(field, allowed);
                    return null;
                }
                // In decimal, so that 97.6% is 0.976 and 250ms 0.25, not a neighbouring double.
                BigDecimal d = new BigDecimal(m.group(1));
                value = (unit == null ? d : switch (unit) {
                    case "%" -> d.movePointLeft(2);
                    case "ms" -> d.movePointLeft(3);
                    case "m" -> d.multiply(BigDecimal.valueOf(60));
                    case "h" -> d.multiply(BigDecimal.valueOf(3600));
                    default -> d;
                }).doubleValue();
            } else {
                bad(field, allowed);
                return null;
            }
            if (!Double.isFinite(value) || (ratio && (value < 0 || value > 1))) {
                bad(field, allowed);
                return null;
            }
            return value;
        }

        Double objective(String field) {
            String allowed = "a share of good events between 0 and 1 or a percentage, such as 0.999 or 99.9%";
            JsonNode n = get(field);
            if (n == null) {
                missing(field, allowed);
                return null;
            }
            Double value = null;
            if (n.isNumber()) {
                value = n.asDouble();
            } else if (n.isTextual()) {
                Matcher m = AMOUNT.matcher(n.asText().trim());
                if (m.matches() && "%".equals(m.group(2))) {
                    value = new BigDecimal(m.group(1)).movePointLeft(2).doubleValue();
                }
            }
            if (value == null || !(value > 0 && value < 1)) {
                bad(field, allowed);
                return null;
            }
            return value;
        }

        Double positive(String field, boolean required) {
            JsonNode n = get(field);
            if (n == null) {
                if (required) {
                    missing(field, "a positive number");
                }
                return null;
            }
            if (!n.isNumber() || !(n.asDouble() > 0) || !Double.isFinite(n.asDouble())) {
                bad(field, "a positive number");
                return null;
            }
            return n.asDouble();
        }

        Long count(String field) {
            JsonNode n = get(field);
            if (n == null) {
                return null;
            }
            if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
                bad(field, "a whole number, 0 or more");
                return null;
            }
            return n.asLong();
        }

        Reference reference(String field) {
            JsonNode n = get(field);
            if (n == null) {
                return new Reference.PreviousWeek();
            }
            try {
                if (!n.isTextual()) {
                    throw new IllegalArgumentException();
                }
                return Reference.parse(n.asText());
            } catch (IllegalArgumentException e) {
                bad(field, "previous_week, marker:<name> (a release marker) or run:<name> (a load-test run)");
                return null;
            }
        }
    }

    private static ObjectMapper mapper(ObjectMapper m) {
        m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        m.getFactory().setStreamReadConstraints(limits());
        return m;
    }

    private static StreamReadConstraints limits() {
        return StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 20).build();
    }
}
