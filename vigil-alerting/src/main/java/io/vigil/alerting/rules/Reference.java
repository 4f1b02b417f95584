package io.vigil.alerting.rules;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a regression rule compares with: the same window a week earlier, or a named window (a release marker or a
 * load-test run) that {@link ReferenceWindows} resolves.
 */
public sealed interface Reference permits Reference.PreviousWeek, Reference.Named {

    /** As written in rule files: {@code previous_week}, {@code marker:<name>} or {@code run:<name>}. */
    String text();

    /** Parses the rule-file form. @throws IllegalArgumentException naming the accepted forms */
    static Reference parse(String text) {
        if (text != null) {
            if (text.equals(PreviousWeek.TEXT)) {
                return new PreviousWeek();
            }
            int colon = text.indexOf(':');
            if (colon > 0) {
                String kind = text.substring(0, colon);
                for (Named.Kind k : Named.Kind.values()) {
                    if (k.wireName().equals(kind)) {
                        return new Named(k, text.substring(colon + 1));
                    }
                }
            }
        }
        throw new IllegalArgumentException("reference was '" + text + "' but it must be previous_week, "
                + "marker:<name> (a release marker) or run:<name> (a load-test run)");
    }

    /** The same window exactly seven days earlier. */
    record PreviousWeek() implements Reference {
        static final String TEXT = "previous_week";

        @Override
        public String text() {
            return TEXT;
        }
    }

    /**
     * A window known by name.
     *
     * @param kind a release marker or a load-test run
     * @param name its name, 1-128 letters, digits, {@code . _ - :}
     */
    record Named(Kind kind, String name) implements Reference {
        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

        public enum Kind {
            MARKER, RUN;

            public String wireName() {
                return name().toLowerCase(Locale.ROOT);
            }
        }

        public Named {
            Objects.requireNonNull(kind, "kind");
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("a " + kind.wireName() + " name must be 1-128 letters, digits, "
                        + "'.', '_', '-' or ':' but was '" + name + "'");
            }
        }

        @Override
        public String text() {
            return kind.wireName() + ":" + name;
        }
    }
}
