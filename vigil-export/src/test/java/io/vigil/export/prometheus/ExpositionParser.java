package io.vigil.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the text format 0.0.4 (INTEGRATIONS.md 2.9) for the tests: every line must match the grammar,
 * {@code # TYPE} comes once per name and before the family's samples, a family's lines are contiguous, no series
 * repeats, the text ends with a line feed. Fails the test on the first violation; answers the samples with their
 * label values unescaped.
 */
final class ExpositionParser {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL_NAME = "[a-zA-Z_][a-zA-Z0-9_]*";
    private static final String LABEL_VALUE = "\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"";
    private static final String VALUE = "(?:[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|NaN|[+-]Inf)";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") ((?:[^\\\\\\n]|\\\\[\\\\n])*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{((?:" + LABEL_NAME + "=" + LABEL_VALUE
            + ")(?:," + LABEL_NAME + "=" + LABEL_VALUE + ")*,?)?\\})? (" + VALUE + ")(?: -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("(" + LABEL_NAME + ")=" + LABEL_VALUE);

    record Sample(String name, Map<String, String> labels, double value) {}

    /** What a text held: each family's type and every sample in order. */
    record Parsed(Map<String, String> types, List<Sample> samples) {
        List<Sample> named(String name) {
            return samples.stream().filter(s -> s.name().equals(name)).toList();
        }

        Set<String> sampleNames() {
            Set<String> out = new HashSet<>();
            samples.forEach(s -> out.add(s.name()));
            return out;
        }

        /** The value of the one sample with this name and exactly these labels. */
        double value(String name, Map<String, String> labels) {
            List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels))
                    .toList();
            assertThat(found).as("samples %s%s", name, labels).hasSize(1);
            return found.get(0).value();
        }

        double value(String name, String... namesAndValues) {
            Map<String, String> labels = new TreeMap<>();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                labels.put(namesAndValues[i], namesAndValues[i + 1]);
            }
            return value(name, labels);
        }
    }

    private ExpositionParser() {}

    static Parsed parse(String text) {
        assertThat(text).as("the text").endsWith("\n");
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> finished = new HashSet<>();
        Set<String> series = new HashSet<>();
        Map<String, String> familyOfSample = new HashMap<>();
        List<Sample> samples = new ArrayList<>();
        String current = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + ": " + line;
            Matcher m;
            if (line.startsWith("#")) {
                String name;
                if ((m = HELP.matcher(line)).matches()) {
                    name = m.group(1);
                    assertThat(helped.add(name)).as("one HELP per name, " + where).isTrue();
                    assertThat(types).as("HELP before TYPE, " + where).doesNotContainKey(name);
                } else if ((m = TYPE.matcher(line)).matches()) {
                    name = m.group(1);
                    assertThat(types.put(name, m.group(2))).as("one TYPE per name, " + where).isNull();
                } else {
                    fail("not a HELP or TYPE line, " + where);
                    return null;
                }
                if (!name.equals(current)) {
                    if (current != null) {
                        finished.add(current);
                    }
                    assertThat(finished).as("families contiguous, " + where).doesNotContain(name);
                    current = name;
                }
                continue;
            }
            m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("a sample line, " + where).isTrue();
            String name = m.group(1);
            assertThat(current).as("a TYPE before the samples, " + where).isNotNull();
            String type = types.get(current);
            assertThat(type).as("a TYPE before the samples, " + where).isNotNull();
            List<String> allowed = switch (type) {
                case "summary" -> List.of(current, current + "_sum", current + "_count");
                case "histogram" -> List.of(current + "_bucket", current + "_sum", current + "_count");
                default -> List.of(current);
            };
            assertThat(allowed).as("the sample belongs to the family whose lines these are, " + where).contains(name);
            String owner = familyOfSample.putIfAbsent(name, current);
            assertThat(owner == null || owner.equals(current)).as("one family per sample name, " + where).isTrue();
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    assertThat(labels.put(l.group(1), unescape(l.group(2)))).as("no repeated label, " + where).isNull();
                }
            }
            if ("summary".equals(type) && name.equals(current)) {
                assertThat(labels).as("a summary's quantile label, " + where).containsKey("quantile");
            }
            assertThat(series.add(name + labels)).as("no repeated series, " + where).isTrue();
            samples.add(new Sample(name, labels, parseValue(m.group(m.groupCount()))));
        }
        return new Parsed(types, samples);
    }

    private static double parseValue(String v) {
        return switch (v) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
    }

    private static String unescape(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\') {
                char next = v.charAt(++i);
                b.append(next == 'n' ? '\n' : next);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
