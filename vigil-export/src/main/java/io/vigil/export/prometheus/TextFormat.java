package io.vigil.export.prometheus;

import java.util.Map;
import java.util.TreeMap;

/**
 * The lexical rules of the Prometheus text format 0.0.4 (INTEGRATIONS.md 2.9): metric and label names made valid,
 * label values and help texts escaped, sample values written the way Prometheus parses them.
 */
final class TextFormat {
    private TextFormat() {}

    /** A metric name matching {@code [a-zA-Z_:][a-zA-Z0-9_:]*}: other characters become {@code _}. */
    static String metricName(String raw) {
        StringBuilder b = new StringBuilder(raw.length() + 1);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            b.append(isLetter(c) || isDigit(c) || c == '_' || c == ':' ? c : '_');
        }
        if (b.isEmpty() || isDigit(b.charAt(0))) {
            b.insert(0, '_');
        }
        return b.toString();
    }

    /**
     * A label name matching {@code [a-zA-Z_][a-zA-Z0-9_]*}: other characters become {@code _}, a leading digit gets a
     * {@code _} before it, and a leading {@code __} (reserved by Prometheus for its own labels) becomes {@code _}.
     */
    static String labelName(String raw) {
        StringBuilder b = new StringBuilder(raw.length() + 1);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            b.append(isLetter(c) || isDigit(c) || c == '_' ? c : '_');
        }
        if (b.isEmpty() || isDigit(b.charAt(0))) {
            b.insert(0, '_');
        }
        while (b.length() > 1 && b.charAt(0) == '_' && b.charAt(1) == '_') {
            b.deleteCharAt(0);
        }
        return b.toString();
    }

    /**
     * Labels with valid names, sorted; {@code reserved} (such as {@code quantile} on a summary) is renamed
     * {@code exported_<name>}. When two names become equal, the first in the original order is kept.
     */
    static TreeMap<String, String> labels(Map<String, String> raw, String reserved) {
        TreeMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(raw).entrySet()) {
            String name = labelName(e.getKey());
            if (name.equals(reserved)) {
                name = "exported_" + name;
            }
            out.putIfAbsent(name, e.getValue() == null ? "" : e.getValue());
        }
        return out;
    }

    /** The inside of a label set, {@code a="x",b="y"}, values escaped; empty for no labels. */
    static String labelBody(Map<String, String> labels) {
        StringBuilder b = new StringBuilder();
        labels.forEach((name, value) -> {
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(name).append("=\"");
            escapeLabelValue(value, b);
            b.append('"');
        });
        return b.toString();
    }

    /** Escapes {@code \}, {@code "} and line feeds as {@code \\}, {@code \"} and {@code \n}. */
    static void escapeLabelValue(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    /** A help text on one line: {@code \} and line feeds escaped as {@code \\} and {@code \n}. */
    static String help(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append(' ');
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A sample value: integers without a fraction, {@code NaN}, {@code +Inf}, {@code -Inf}, else Java's shortest form. */
    static void value(double v, StringBuilder out) {
        if (Double.isNaN(v)) {
            out.append("NaN");
        } else if (v == Double.POSITIVE_INFINITY) {
            out.append("+Inf");
        } else if (v == Double.NEGATIVE_INFINITY) {
            out.append("-Inf");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            out.append((long) v);
        } else {
            out.append(v);
        }
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
