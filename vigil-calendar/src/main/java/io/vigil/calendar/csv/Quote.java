package io.vigil.calendar.csv;

/** Quotes a non-personal value from the file for a message: single line, at most 40 characters. */
final class Quote {
    static final int MAX_CHARS = 40;

    private Quote() {
    }

    /** {@code 'Europe/Londn'}; a longer value is cut to 39 characters and an ellipsis. */
    static String of(String value) {
        StringBuilder shown = new StringBuilder(Math.min(value.length(), MAX_CHARS));
        int end = value.length() > MAX_CHARS ? MAX_CHARS - 1 : value.length();
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            shown.append(Character.isISOControl(c) ? '?' : c);
        }
        if (end < value.length()) {
            shown.append('…');
        }
        return "'" + shown + "'";
    }
}
