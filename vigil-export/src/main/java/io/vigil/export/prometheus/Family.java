package io.vigil.export.prometheus;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A metric family that the server adds to {@code /metrics} besides the exported points: Vigil's own health (ingest
 * rates, store lag, exporter circuits...), read when a scrape comes. Register a supplier of them with
 * {@link PrometheusExposition#register}. Names and label names are made valid as for exported metrics, counters get
 * {@code _total} when their name lacks it.
 *
 * <pre>{@code
 * exposition.register(() -> List.of(
 *         Family.gauge("vigil_store_lag_seconds", "Seconds the store is behind the head.",
 *                 Family.sample(lagSeconds())),
 *         Family.counter("vigil_ingest_samples", "Samples accepted since start.",
 *                 Family.sample(otlp, "format", "otlp"), Family.sample(remoteWrite, "format", "remote_write"))));
 * }</pre>
 *
 * @param name the family's name, such as {@code vigil_store_lag_seconds}
 * @param type counter (cumulative, never decreasing) or gauge
 * @param help one line saying what it measures and in which unit
 * @param samples one per label set
 */
public record Family(String name, Type type, String help, List<Sample> samples) {

    public Family {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a family's name must not be blank but was '" + name + "'");
        }
        samples = List.copyOf(samples);
    }

    /** The types a supplied family may have. */
    public enum Type {
        COUNTER, GAUGE
    }

    /**
     * One sample of a family.
     *
     * @param labels its labels (no context tags needed: {@code vigil_wedding_context} carries them)
     * @param value its value
     */
    public record Sample(Map<String, String> labels, double value) {
        public Sample {
            labels = Map.copyOf(labels);
        }
    }

    /** A gauge family. */
    public static Family gauge(String name, String help, Sample... samples) {
        return new Family(name, Type.GAUGE, help, Arrays.asList(samples));
    }

    /** A counter family. */
    public static Family counter(String name, String help, Sample... samples) {
        return new Family(name, Type.COUNTER, help, Arrays.asList(samples));
    }

    /**
     * A sample from its value and label names and values in turn.
     *
     * @throws IllegalArgumentException if a name has no value
     */
    public static Sample sample(double value, String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels come as names and values in turn but "
                    + namesAndValues.length + " strings were given");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            labels.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new Sample(labels, value);
    }
}
