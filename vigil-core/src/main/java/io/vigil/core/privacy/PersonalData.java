package io.vigil.core.privacy;

import java.util.regex.Pattern;

/**
 * Finds what looks like personal data or a secret in free text: email addresses, phone numbers, and long tokens of
 * letters and digits (keys, tokens). Used wherever text leaves Vigil (notifications, exports) so that what the
 * platform put in a label or a summary by mistake goes no further. Thread-safe.
 */
public final class PersonalData {
    /** What replaces each finding. */
    public static final String REDACTED = "[redacted]";
    private static final Pattern EMAIL = Pattern.compile("[^\\s@<>\"'(),;:]+@[^\\s@<>\"'(),;:]+\\.[A-Za-z]{2,}");
    /** International numbers (+ and 8-15 digits, spaced or not), North American ones, and bare runs of 10-15 digits. */
    private static final Pattern PHONE = Pattern.compile("\\+\\d[\\d ()-]{6,}\\d|\\(?\\b\\d{3}\\)?[ .-]\\d{3}[ .-]\\d{4}\\b"
            + "|\\b\\d{10,15}\\b");
    /** Runs of 24 or more letters, digits and token punctuation with both letters and digits: keys, tokens. */
    private static final Pattern TOKEN = Pattern.compile("(?=[A-Za-z0-9_\\-+/=]*\\d)(?=[A-Za-z0-9_\\-+/=]*[A-Za-z])"
            + "[A-Za-z0-9_\\-+/=]{24,}");

    private PersonalData() {}

    /** The text with every email address, phone number and secret-like token replaced by {@link #REDACTED}. */
    public static String redact(String text) {
        String s = TOKEN.matcher(text).replaceAll(REDACTED); // first: a token's digits would otherwise read as a phone
        s = EMAIL.matcher(s).replaceAll(REDACTED);
        return PHONE.matcher(s).replaceAll(REDACTED);
    }

    /** Whether the text holds anything {@link #redact} would replace. */
    public static boolean found(String text) {
        return TOKEN.matcher(text).find() || EMAIL.matcher(text).find() || PHONE.matcher(text).find();
    }
}
