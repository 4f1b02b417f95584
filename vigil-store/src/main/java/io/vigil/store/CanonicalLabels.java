package io.vigil.store;

import io.vigil.core.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a {@link Labels} set: a JSON object with the labels in {@link Labels} order (sorted by name),
 * no whitespace, for example {@code {"route":"/guests","status":"200"}}; the empty set is {@code {}}.
 *
 * <p>It round-trips every Java string exactly: {@code "} and {@code \} are escaped, and control characters and
 * every UTF-16 surrogate are written as {@code \}{@code uXXXX}, so that even a lone surrogate (which UTF-8 cannot
 * hold) survives the trip through an SQLite {@code TEXT} column. The output is valid JSON, readable by
 * {@code json_extract} and by PostgreSQL's {@code json} type.
 */
public final class CanonicalLabels {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalLabels() {}

    public static String encode(Labels labels) {
        StringBuilder sb = new StringBuilder(2 + labels.size() * 24);
        sb.append('{');
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            quote(sb, labels.name(i));
            sb.append(':');
            quote(sb, labels.value(i));
        }
        return sb.append('}').toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                sb.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                        .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    /**
     * Parses {@link #encode} output (and any flat JSON object of strings).
     *
     * @throws IllegalArgumentException naming the position when the text is not such an object
     */
    public static Labels decode(String json) {
        Parser p = new Parser(json);
        p.skipSpace();
        p.expect('{');
        List<String> pairs = new ArrayList<>();
        p.skipSpace();
        if (p.peek() == '}') {
            p.pos++;
        } else {
            while (true) {
                p.skipSpace();
                pairs.add(p.string());
                p.skipSpace();
                p.expect(':');
                p.skipSpace();
                pairs.add(p.string());
                p.skipSpace();
                char c = p.next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw p.error("expected ',' or '}'");
                }
            }
        }
        p.skipSpace();
        if (p.pos != json.length()) {
            throw p.error("unexpected text after the labels object");
        }
        return pairs.isEmpty() ? Labels.EMPTY : Labels.of(pairs.toArray(String[]::new));
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        char peek() {
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (next() != c) {
                pos--;
                throw error("expected '" + c + "'");
            }
        }

        void skipSpace() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\n' || s.charAt(pos) == '\r'
                    || s.charAt(pos) == '\t')) {
                pos++;
            }
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("truncated \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(s, pos, pos + 4, 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("unknown escape \\" + e);
                }
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("stored labels are not a JSON object of strings: " + what
                    + " at offset " + pos + " of " + s.length());
        }
    }
}
