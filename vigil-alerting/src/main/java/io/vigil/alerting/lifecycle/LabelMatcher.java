package io.vigil.alerting.lifecycle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One condition on an alert's labels, as in Alertmanager: {@code name=value}, {@code name!=value},
 * {@code name=~regex}, {@code name!~regex}. Regular expressions are anchored (they must match the whole value), and
 * a missing label reads as the empty string. Besides the alert's own labels a matcher sees the pseudo-labels
 * {@code alertname} (the rule id), {@code priority} ({@code P0}..{@code P3}), {@code impact} and {@code severity}.
 */
public record LabelMatcher(String name, Op op, String value) {

    /** The comparison. */
    public enum Op {
        EQ("="), NE("!="), RE("=~"), NRE("!~");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        @JsonValue
        public String symbol() {
            return symbol;
        }

        /** The op for its symbol ({@code =~}) or its name ({@code RE}). */
        @JsonCreator
        public static Op of(String text) {
            for (Op op : values()) {
                if (op.symbol.equals(text) || op.name().equalsIgnoreCase(text)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("unknown matcher operator: " + text);
        }
    }

    private static final Pattern SYNTAX = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)\\s*(.*?)\\s*");

    public LabelMatcher {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
        if (op == Op.RE || op == Op.NRE) {
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad regular expression in matcher " + name + op.symbol + value
                        + ": " + e.getDescription(), e);
            }
        }
    }

    /** Parses {@code name=value}, {@code name!="value"}, {@code name=~"w-1.*"}...; quotes around the value are optional. */
    public static LabelMatcher parse(String text) {
        java.util.regex.Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a label matcher: " + text);
        }
        String value = m.group(3);
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return new LabelMatcher(m.group(1), Op.of(m.group(2)), value);
    }

    /** Whether the labels (with the pseudo-labels) satisfy this matcher. */
    public boolean matches(Map<String, String> labels) {
        String actual = labels.getOrDefault(name, "");
        return switch (op) {
            case EQ -> actual.equals(value);
            case NE -> !actual.equals(value);
            case RE -> Pattern.compile(value).matcher(actual).matches();
            case NRE -> !Pattern.compile(value).matcher(actual).matches();
        };
    }

    @Override
    public String toString() {
        return name + op.symbol + '"' + value + '"';
    }
}
