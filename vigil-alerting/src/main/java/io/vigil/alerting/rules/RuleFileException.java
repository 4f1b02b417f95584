package io.vigil.alerting.rules;

import java.util.List;

/** A rule file or rule body that cannot be used, with every problem found and where it is. */
public final class RuleFileException extends IllegalArgumentException {
    private static final int SHOWN = 20;
    private final transient List<RuleProblem> problems;

    public RuleFileException(List<RuleProblem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in document order. */
    public List<RuleProblem> problems() {
        return problems;
    }

    private static String summary(List<RuleProblem> problems) {
        StringBuilder b = new StringBuilder();
        b.append(problems.size() == 1 ? "1 problem" : problems.size() + " problems").append(" in the rules: ");
        for (int i = 0; i < Math.min(SHOWN, problems.size()); i++) {
            b.append(i == 0 ? "" : "; ").append(problems.get(i).message());
        }
        if (problems.size() > SHOWN) {
            b.append("; and ").append(problems.size() - SHOWN).append(" more");
        }
        return b.toString();
    }
}
