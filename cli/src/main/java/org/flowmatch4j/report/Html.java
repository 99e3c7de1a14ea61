package org.flowmatch4j.report;

/** Escaping of text for HTML and XML content and attribute values. */
public final class Html {
    private Html() {
    }

    /** {@code s} with {@code & < > " '} replaced by character references. */
    public static String escape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (rep != null || (c < 0x20 && c != '\n' && c != '\t' && c != '\r')) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                // control characters other than whitespace are not allowed in XML 1.0; drop them
                if (rep != null) {
                    sb.append(rep);
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}
