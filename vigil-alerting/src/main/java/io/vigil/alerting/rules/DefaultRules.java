package io.vigil.alerting.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The rules Vigil ships with ({@code default-rules.yaml}, every rule explained in {@code default-rules.md} beside it):
 * the SPEC's severity table (critical p95 above 5 s, error rate above 10 %, availability below 95 %; high 3 s / 5 % /
 * 97 %; medium 2 s / 2 % / 99 %) on the five wedding-operation families per {@code wedding_id} and on the platform's
 * HTTP metrics per {@code route}, and a 99.9 % SLO with the workbook's burn-rate pairs on guest list access, timeline
 * sync, photo upload and mobile app response.
 */
public final class DefaultRules {
    /** The classpath resource of the rules file. */
    public static final String RESOURCE = "/io/vigil/alerting/rules/default-rules.yaml";

    private DefaultRules() {}

    /** The default rules, parsed and validated. */
    public static List<Rule> load() {
        return RuleParser.parseYaml(yaml());
    }

    /** The default rules file as shipped, for showing or copying it. */
    public static String yaml() {
        try (InputStream in = DefaultRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
