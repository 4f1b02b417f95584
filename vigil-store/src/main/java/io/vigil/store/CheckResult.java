package io.vigil.store;

/**
 * The outcome of a cheap health check, safe to repeat; feeds {@code /readyz}.
 *
 * @param ok whether the component can serve
 * @param detail why not, without secrets; null when ok
 */
public record CheckResult(boolean ok, String detail) {
    public static final CheckResult OK = new CheckResult(true, null);

    public static CheckResult failed(String detail) {
        return new CheckResult(false, detail);
    }
}
