package io.vigil.server.http;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.function.Supplier;

/** What every route does with request input: times, error echoes, and bad input turned into 400s. */
public final class Requests {
    private Requests() {}

    /**
     * A time parameter: RFC 3339 or Unix seconds (fractions allowed), as epoch milliseconds.
     *
     * @throws HttpProblem 400 naming the parameter and the accepted forms
     */
    public static long time(String name, String text) {
        try {
            if (text.matches("-?\\d+(\\.\\d+)?")) {
                return new BigDecimal(text).movePointRight(3).longValue();
            }
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw new HttpProblem(400, name + " was '" + shorten(text)
                    + "' but it must be RFC 3339 (2026-06-13T18:00:00Z) or unix seconds");
        }
    }

    /** Like {@link #time}, as an instant. */
    public static Instant instant(String name, String text) {
        return Instant.ofEpochMilli(time(name, text));
    }

    /** A value from the request cut to 40 characters, for echoing it in an error message. */
    public static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** Runs a parse or a validation; what it refuses becomes a 400 with its message. */
    public static <T> T badRequest(Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException | NullPointerException | DateTimeException e) {
            throw new HttpProblem(400, e.getMessage());
        }
    }

    /**
     * An integer query parameter within [min, max], {@code dflt} when absent.
     *
     * @throws HttpProblem 400 naming the parameter and the range when it is not such a number
     */
    public static int intParam(io.javalin.http.Context ctx, String name, int dflt, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new HttpProblem(400, name + " was '" + shorten(text) + "' but must be a whole number from " + min
                + " to " + max);
    }
}
