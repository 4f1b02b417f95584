package io.vigil.store.postgres;

import java.util.regex.Pattern;

/** Keeps passwords out of strings that may reach logs and exception messages. */
final class Redaction {
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USERINFO = Pattern.compile("(//[^/@:]*:)[^/@]*@");

    private Redaction() {}

    static String url(String jdbcUrl) {
        if (jdbcUrl == null) {
            return null;
        }
        String s = PASSWORD_PARAM.matcher(jdbcUrl).replaceAll("$1***");
        return USERINFO.matcher(s).replaceAll("$1***@");
    }

    /** Replaces every occurrence of the secret in the text; the text unchanged when there is no secret. */
    static String scrub(String text, String secret) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret, "***");
    }
}
