package io.vigil.alerting.rules;

/**
 * One thing wrong in a rule file or rule body.
 *
 * @param path where, e.g. {@code rules[3].threshold} (empty for the document as a whole)
 * @param message what is wrong and what is allowed, starting with the path
 */
public record RuleProblem(String path, String message) {
    @Override
    public String toString() {
        return message;
    }
}
