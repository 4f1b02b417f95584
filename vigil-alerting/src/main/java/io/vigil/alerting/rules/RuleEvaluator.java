package io.vigil.alerting.rules;

import io.vigil.alerting.Condition;
import io.vigil.alerting.Observation;
import io.vigil.alerting.Severity;
import io.vigil.core.Stat;
import io.vigil.engine.query.QueryEngine;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Evaluates rules at an instant against the query engine: one {@link Observation} per group of the rule's {@code by}
 * labels, with the condition after hysteresis, the value, the threshold and a short summary. Each window is queried
 * once per evaluation; {@link #evaluateAll} also shares queries between the rules it is given, and reads the windows
 * ending at the evaluation instant that share a query (an SLO's five) at once. Thread-safe (each call keeps its own
 * query results).
 */
public final class RuleEvaluator {
    private static final Stat ERROR_RATE = new Stat(Stat.Type.ERROR_RATE, 0);
    static final Duration WEEK = Duration.ofDays(7);

    private final QueryEngine engine;
    private final ReferenceWindows references;

    /** An evaluator whose regression rules can use {@code previous_week} only. */
    public RuleEvaluator(QueryEngine engine) {
        this(engine, ReferenceWindows.NONE);
    }

    /** An evaluator resolving named references (release markers, load-test runs) with {@code references}. */
    public RuleEvaluator(QueryEngine engine, ReferenceWindows references) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.references = Objects.requireNonNull(references, "references");
    }

    /** Evaluates one rule over the windows ending at {@code at}. */
    public List<Observation> evaluate(Rule rule, Instant at) {
        return evaluate(rule, at, new WindowQueries(engine));
    }

    /**
     * Evaluates rules at one instant, asking the engine once for a statistic that several of them read, once for
     * many rules that differ only in their filters' values (one rule per wedding, per vendor...), and once for the
     * windows ending at {@code at} of one query (an SLO's 5m to 3d). The observations are the same as from
     * {@link #evaluate} rule by rule (up to the order in which sums are added), in the order of the rules.
     */
    public List<Observation> evaluateAll(Collection<? extends Rule> rules, Instant at) {
        WindowQueries queries = new WindowQueries(engine, rules, at);
        List<Observation> out = new ArrayList<>();
        for (Rule r : rules) {
            out.addAll(evaluate(r, at, queries));
        }
        return out;
    }

    /** Evaluates one rule with the queries of an evaluation, which may already hold some of its windows. */
    List<Observation> evaluate(Rule rule, Instant at, WindowQueries queries) {
        return switch (rule) {
            case ThresholdRule t -> threshold(t, at, queries);
            case SloRule s -> slo(s, at, queries);
            case RegressionRule r -> regression(r, at, queries);
        };
    }

    // ---- threshold

    private List<Observation> threshold(ThresholdRule rule, Instant at, WindowQueries queries) {
        TimeWindow window = TimeWindow.ending(at, rule.window());
        Map<Map<String, String>, Double> values = queries.values(rule, rule.stat(), window);
        Map<Map<String, String>, Double> traffic = rule.minSamples() > 0 ? queries.traffic(rule, window) : Map.of();
        String stat = ValueText.statName(rule.stat());
        String span = DurationText.format(rule.window());
        List<Observation> out = new ArrayList<>(values.size());
        for (var e : groups(rule, values)) {
            double v = e.getValue();
            double seen = traffic.getOrDefault(e.getKey(), 0.0);
            Observation o;
            if (Double.isNaN(v)) {
                o = obs(rule, e.getKey(), Condition.NO_DATA, v, rule.threshold(), rule.severity(),
                        "no data for " + stat + " in the last " + span, at);
            } else if (rule.minSamples() > 0 && seen < rule.minSamples()) {
                o = obs(rule, e.getKey(), Condition.NO_DATA, v, rule.threshold(), rule.severity(),
                        fewer(seen, rule.minSamples(), "observations", "in the last " + span), at);
            } else {
                Comparison c = rule.comparison();
                String shown = stat + " " + ValueText.against(rule.stat(), rule.metric(), v, rule.threshold());
                String limit = ValueText.of(rule.stat(), rule.metric(), rule.threshold());
                if (c.test(v, rule.threshold())) {
                    o = obs(rule, e.getKey(), Condition.BREACHING, v, rule.threshold(), rule.severity(),
                            shown + " " + c.symbol() + " " + limit, at);
                } else if (c.test(v, rule.recovery())) {
                    o = obs(rule, e.getKey(), Condition.HOLDING, v, rule.threshold(), rule.severity(), shown
                            + ", between the recovery " + ValueText.of(rule.stat(), rule.metric(), rule.recovery())
                            + " and the threshold " + limit, at);
                } else {
                    o = obs(rule, e.getKey(), Condition.CLEAR, v, rule.threshold(), rule.severity(),
                            shown + " " + negated(c) + " " + limit, at);
                }
            }
            out.add(o);
        }
        return out;
    }

    private static String negated(Comparison c) {
        return switch (c) {
            case GT -> "<=";
            case GE -> "<";
            case LT -> ">=";
            case LE -> ">";
        };
    }

    // ---- SLO

    private List<Observation> slo(SloRule rule, Instant at, WindowQueries queries) {
        double budget = budget(rule);
        TreeSet<Duration> longWindows = new TreeSet<>();
        TreeSet<Duration> allWindows = new TreeSet<>();
        for (BurnRatePair p : rule.pairs()) {
            longWindows.add(p.longWindow());
            allWindows.add(p.longWindow());
            allWindows.add(p.shortWindow());
        }
        Map<Duration, Map<Map<String, String>, Double>> errors = new HashMap<>();
        for (Duration d : allWindows) {
            errors.put(d, queries.values(rule, ERROR_RATE, TimeWindow.ending(at, d)));
        }
        Map<Duration, Map<Map<String, String>, Double>> traffic = new HashMap<>();
        for (Duration d : longWindows) {
            traffic.put(d, queries.traffic(rule, TimeWindow.ending(at, d)));
        }
        List<Observation> out = new ArrayList<>();
        for (var e : groups(rule, errors.get(allWindows.first()))) {
            Map<String, String> g = e.getKey();
            List<PairBurn> judged = new ArrayList<>();
            for (BurnRatePair p : rule.pairs()) {
                double longBurn = errors.get(p.longWindow()).getOrDefault(g, Double.NaN) / budget;
                double shortBurn = errors.get(p.shortWindow()).getOrDefault(g, Double.NaN) / budget;
                if (traffic.get(p.longWindow()).getOrDefault(g, 0.0) >= Math.max(1, rule.minRequests())
                        && !Double.isNaN(longBurn)) {
                    // Nothing at all in the short window means nothing is burning now.
                    judged.add(new PairBurn(p, longBurn, Double.isNaN(shortBurn) ? 0 : shortBurn));
                }
            }
            Optional<PairBurn> worst = judged.stream().filter(PairBurn::breaching)
                    .min(Comparator.comparing(pb -> pb.pair().severity()));
            Optional<PairBurn> closest = judged.stream().max(Comparator.comparingDouble(PairBurn::closeness));
            if (worst.isPresent()) {
                PairBurn w = worst.get();
                out.add(obs(rule, g, Condition.BREACHING, w.longBurn(), w.pair().factor(), w.pair().severity(),
                        w.summary(">"), at));
            } else if (closest.isPresent()) {
                PairBurn c = closest.get();
                out.add(obs(rule, g, Condition.CLEAR, c.longBurn(), c.pair().factor(), rule.severity(),
                        c.summary("not both >"), at));
            } else {
                BurnRatePair first = rule.pairs().getFirst();
                double seen = traffic.get(first.longWindow()).getOrDefault(g, 0.0);
                out.add(obs(rule, g, Condition.NO_DATA, Double.NaN, first.factor(), rule.severity(),
                        fewer(seen, Math.max(1, rule.minRequests()), "requests", "in the last "
                                + DurationText.format(first.longWindow())), at));
            }
        }
        return out;
    }

    /** The burn rates of one pair for one group. */
    private record PairBurn(BurnRatePair pair, double longBurn, double shortBurn) {
        boolean breaching() {
            return longBurn > pair.factor() && shortBurn > pair.factor();
        }

        /** How near the pair is to firing: the lower of its two burns relative to its factor. */
        double closeness() {
            return Math.min(longBurn, shortBurn) / pair.factor();
        }

        String summary(String relation) {
            return "burn " + ValueText.burn(longBurn) + " (" + DurationText.format(pair.longWindow()) + ") and "
                    + ValueText.burn(shortBurn) + " (" + DurationText.format(pair.shortWindow()) + ") " + relation
                    + " " + ValueText.burn(pair.factor());
        }
    }

    /** 1 - objective, in decimal: 99.9 % gives a budget of exactly 0.001, not 0.0010000000000000009. */
    static double budget(SloRule rule) {
        return BigDecimal.ONE.subtract(BigDecimal.valueOf(rule.objective())).doubleValue();
    }

    /** The error budget of every group of an SLO over its period up to {@code at}, with the current burn rates. */
    public List<ErrorBudget> errorBudget(SloRule rule, Instant at) {
        WindowQueries queries = new WindowQueries(engine);
        double budget = budget(rule);
        TimeWindow period = TimeWindow.ending(at, rule.period());
        Map<Map<String, String>, Double> requests = queries.traffic(rule, period);
        Map<Map<String, String>, Double> errorRate = queries.values(rule, ERROR_RATE, period);
        TreeSet<Duration> windows = new TreeSet<>();
        rule.pairs().forEach(p -> {
            windows.add(p.shortWindow());
            windows.add(p.longWindow());
        });
        List<ErrorBudget> out = new ArrayList<>();
        for (var e : groups(rule, requests)) {
            Map<String, String> g = e.getKey();
            double total = e.getValue();
            double rate = errorRate.getOrDefault(g, Double.NaN);
            double failed = total > 0 && !Double.isNaN(rate) ? rate * total : 0;
            double allowed = budget * total;
            List<ErrorBudget.WindowBurn> burns = new ArrayList<>();
            for (Duration d : windows) {
                double now = queries.values(rule, ERROR_RATE, TimeWindow.ending(at, d)).getOrDefault(g, Double.NaN);
                burns.add(new ErrorBudget.WindowBurn(d, now / budget));
            }
            out.add(new ErrorBudget(rule.id(), g, rule.objective(), period.from(), period.to(), total, failed,
                    allowed, allowed > 0 ? failed / allowed : 0, burns));
        }
        return out;
    }

    // ---- regression

    private List<Observation> regression(RegressionRule rule, Instant at, WindowQueries queries) {
        TimeWindow current = TimeWindow.ending(at, rule.window());
        Optional<TimeWindow> reference = switch (rule.reference()) {
            case Reference.PreviousWeek w -> Optional.of(current.minus(WEEK));
            case Reference.Named n -> references.resolve(n);
        };
        Map<Map<String, String>, Double> now = queries.values(rule, rule.stat(), current);
        String stat = ValueText.statName(rule.stat());
        String span = DurationText.format(rule.window());
        String whose = switch (rule.reference()) {
            case Reference.PreviousWeek w -> "the previous week's";
            case Reference.Named n -> (n.kind() == Reference.Named.Kind.MARKER ? "release marker " : "load-test run ")
                    + n.name() + "'s";
        };
        List<Observation> out = new ArrayList<>();
        if (reference.isEmpty()) {
            for (var e : groups(rule, now)) {
                out.add(obs(rule, e.getKey(), Condition.NO_DATA, e.getValue(), Double.NaN, rule.severity(),
                        "reference " + rule.reference().text() + " is not known", at));
            }
            return out;
        }
        Map<Map<String, String>, Double> then = queries.values(rule, rule.stat(), reference.get());
        Map<Map<String, String>, Double> nowTraffic = rule.minSamples() > 0 ? queries.traffic(rule, current) : Map.of();
        Map<Map<String, String>, Double> thenTraffic = rule.minSamples() > 0
                ? queries.traffic(rule, reference.get()) : Map.of();
        for (var e : groups(rule, now)) {
            Map<String, String> g = e.getKey();
            double v = e.getValue();
            double ref = then.getOrDefault(g, Double.NaN);
            double limit = ref * rule.ratio();
            if (Double.isNaN(v) || (rule.minSamples() > 0 && nowTraffic.getOrDefault(g, 0.0) < rule.minSamples())) {
                out.add(obs(rule, g, Condition.NO_DATA, v, limit, rule.severity(),
                        fewer(nowTraffic.getOrDefault(g, 0.0), Math.max(1, rule.minSamples()), "observations",
                                "in the last " + span), at));
                continue;
            }
            if (Double.isNaN(ref)
                    || (rule.minSamples() > 0 && thenTraffic.getOrDefault(g, 0.0) < rule.minSamples())) {
                out.add(obs(rule, g, Condition.NO_DATA, v, limit, rule.severity(),
                        fewer(thenTraffic.getOrDefault(g, 0.0), Math.max(1, rule.minSamples()), "observations",
                                "in " + whose + " window"), at));
                continue;
            }
            if (!(ref > 0)) {
                out.add(obs(rule, g, Condition.NO_DATA, v, limit, rule.severity(),
                        stat + " was 0 in " + whose + " window: no ratio to compare", at));
                continue;
            }
            double ratio = v / ref;
            Condition c = ratio > rule.ratio() ? Condition.BREACHING
                    : ratio > rule.recoveryRatio() ? Condition.HOLDING : Condition.CLEAR;
            String summary = stat + " " + ValueText.of(rule.stat(), rule.metric(), v) + " is "
                    + ValueText.times(ratio) + " " + whose + " " + ValueText.of(rule.stat(), rule.metric(), ref);
            if (c != Condition.BREACHING) {
                summary += " (alert above " + ValueText.times(rule.ratio()) + ")";
            }
            out.add(obs(rule, g, c, v, limit, rule.severity(), summary, at));
        }
        return out;
    }

    // ---- shared

    /**
     * The groups to report: every group the engine knows for the rule's series, and for a rule without {@code by}
     * one empty group even when the metric has no series at all, so that a missing metric shows as NO_DATA.
     */
    private static Collection<Map.Entry<Map<String, String>, Double>> groups(Rule rule,
                                                                              Map<Map<String, String>, Double> values) {
        if (values.isEmpty() && rule.by().isEmpty()) {
            return List.of(Map.entry(Map.of(), Double.NaN));
        }
        return values.entrySet();
    }

    private static String fewer(double seen, long needed, String what, String where) {
        return ValueText.significant(seen, 6) + " " + what + " " + where + ", fewer than the " + needed + " needed";
    }

    private static Observation obs(Rule rule, Map<String, String> labels, Condition condition, double value,
                                   double threshold, Severity severity, String summary, Instant at) {
        return new Observation(rule.id(), rule.metric(), labels, condition, value, threshold, rule.pendingFor(),
                severity, summary, at, rule.family());
    }
}
