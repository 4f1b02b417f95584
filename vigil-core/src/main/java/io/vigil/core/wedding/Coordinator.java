package io.vigil.core.wedding;

/**
 * The wedding coordinator's contact, kept only so that the emergency chain can reach them. Personal data: shown to
 * admin keys only, never logged, exported or put into metrics or alerts; {@link #toString()} hides it.
 *
 * @param name may be null
 * @param email may be null
 * @param phone E.164 or local form, may be null
 */
public record Coordinator(String name, String email, String phone) {
    public Coordinator {
        name = blankToNull(name);
        email = blankToNull(email);
        phone = blankToNull(phone);
        check("coordinator name", name, 200);
        check("coordinator email", email, 254);
        check("coordinator phone", phone, 32);
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+")) {
            throw new IllegalArgumentException("coordinator email is not an email address");
        }
        if (phone != null && !phone.matches("\\+?[0-9 ()./-]{3,32}")) {
            throw new IllegalArgumentException("coordinator phone must hold digits, spaces and + ( ) . / - only");
        }
    }

    /** True when no field is set. */
    public boolean isEmpty() {
        return name == null && email == null && phone == null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static void check(String what, String value, int max) {
        if (value != null && value.length() > max) {
            throw new IllegalArgumentException(what + " is longer than " + max + " characters");
        }
        if (value != null && Wedding.hasControl(value)) {
            throw new IllegalArgumentException(what + " contains control characters");
        }
    }

    @Override
    public String toString() {
        return "Coordinator[(personal data hidden)]";
    }
}
