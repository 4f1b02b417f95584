package io.vigil.alerting.rules;

/** How a threshold rule compares the measured value with its threshold. */
public enum Comparison {
    GT(">"), GE(">="), LT("<"), LE("<=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    /** As written in rule files and summaries: {@code >}, {@code >=}, {@code <}, {@code <=}. */
    public String symbol() {
        return symbol;
    }

    /** Whether {@code value} is past {@code limit} in this direction. */
    public boolean test(double value, double limit) {
        return switch (this) {
            case GT -> value > limit;
            case GE -> value >= limit;
            case LT -> value < limit;
            case LE -> value <= limit;
        };
    }

    /** True for {@code >} and {@code >=}: higher values are worse. */
    public boolean upward() {
        return this == GT || this == GE;
    }

    /** The comparison for its symbol, or null. */
    public static Comparison ofSymbol(String symbol) {
        for (Comparison c : values()) {
            if (c.symbol.equals(symbol)) {
                return c;
            }
        }
        return null;
    }
}
