package org.flowmatch4j.io;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A small, strict JSON (RFC 8259) reader and writer for configs, model metadata and safetensors headers.
 *
 * <p><b>Reading</b> maps objects to {@link LinkedHashMap}{@code <String, Object>} (member order kept),
 * arrays to {@link List}, strings to {@link String}, {@code true/false} to {@link Boolean}, {@code null} to
 * {@code null}, numbers without fraction or exponent that fit a {@code long} to {@link Long} and all other
 * numbers to {@link Double} (correctly rounded by {@link Double#parseDouble}). Strict means: no comments,
 * no trailing commas, no leading zeros, no NaN/Infinity, no raw control characters in strings, no
 * duplicate member names (a duplicate would silently drop a value), nothing after the value, nesting at
 * most {@value #MAX_DEPTH} deep (so a hostile header cannot overflow the stack). Errors are
 * {@link JsonParseException}s with line and column.
 *
 * <p><b>Writing</b> accepts maps with string keys, lists/iterables, arrays ({@code double[]},
 * {@code float[]}, {@code long[]}, {@code int[]}, {@code Object[]}), strings, booleans, numbers and
 * {@code null}. Key order is stable: insertion order for {@link LinkedHashMap} and {@link SortedMap},
 * sorted order for other maps (whose iteration order is unspecified). A {@code double} is written as the
 * <em>shortest</em> decimal that parses back to the same bits (always with a '.' or exponent, so it reads
 * back as a {@link Double}, and {@code -0.0} keeps its sign); the output is the same on every JDK (the
 * JDK's own {@code Double.toString} is shortest only from Java 19). Non-finite numbers are rejected,
 * since JSON cannot represent them.
 */
public final class Json {
    /** Deepest nesting of arrays/objects the reader accepts. */
    public static final int MAX_DEPTH = 256;

    private Json() {
    }

    // ================================================================== reading

    /** Parses a JSON text (any value at top level). */
    public static Object parse(String text) {
        return parse(text, null);
    }

    /** Parses a JSON text; {@code source} (a file name, or null) prefixes error messages. */
    public static Object parse(String text, String source) {
        if (text == null) {
            throw new IllegalArgumentException((source == null ? "" : source + ": ") + "JSON text is null");
        }
        Parser p = new Parser(text, source);
        p.skipWhitespace();
        Object v = p.value(0);
        p.skipWhitespace();
        if (p.pos < text.length()) {
            throw p.error("unexpected " + p.describe(p.pos) + " after the end of the JSON value");
        }
        return v;
    }

    /** Parses a JSON text whose top-level value must be an object. */
    public static JsonObject parseObject(String text, String source) {
        Object v = parse(text, source);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException((source == null ? "JSON" : source) + ": top-level value must be an object, got "
                    + JsonObject.typeName(v));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        return new JsonObject(m, source == null ? "JSON" : source);
    }

    private static final class Parser {
        private final String s;
        private final String source;
        int pos;

        Parser(String s, String source) {
            this.s = s;
            this.source = source;
        }

        JsonParseException error(String problem) {
            return errorAt(pos, problem);
        }

        JsonParseException errorAt(int at, String problem) {
            int line = 1;
            int col = 1;
            for (int i = 0; i < at && i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\n') {
                    line++;
                    col = 1;
                } else if (c == '\r') {
                    // a lone CR or a CRLF pair is one line break
                    if (i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                        continue;
                    }
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            return new JsonParseException(source, problem, line, col);
        }

        String describe(int at) {
            if (at >= s.length()) {
                return "end of input";
            }
            char c = s.charAt(at);
            if (c < 0x20 || c == 0x7f) {
                return String.format("control character U+%04X", (int) c);
            }
            return "'" + c + "'";
        }

        void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        Object value(int depth) {
            if (pos >= s.length()) {
                throw error("expected a value but found end of input");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return object(depth + 1);
                case '[':
                    return array(depth + 1);
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("expected a value but found " + describe(pos));
            }
        }

        void literal(String word) {
            if (!s.startsWith(word, pos)) {
                throw error("expected a value but found " + describe(pos) + " (not '" + word + "')");
            }
            pos += word.length();
        }

        Map<String, Object> object(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH);
            }
            pos++; // '{'
            Map<String, Object> out = new LinkedHashMap<>();
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return out;
            }
            while (true) {
                skipWhitespace();
                if (pos >= s.length() || s.charAt(pos) != '"') {
                    throw error("expected a member name in double quotes but found " + describe(pos));
                }
                int keyAt = pos;
                String key = string();
                skipWhitespace();
                if (pos >= s.length() || s.charAt(pos) != ':') {
                    throw error("expected ':' after member name \"" + key + "\" but found " + describe(pos));
                }
                pos++;
                skipWhitespace();
                Object v = value(depth);
                if (out.containsKey(key)) {
                    throw errorAt(keyAt, "duplicate member name \"" + key + "\"");
                }
                out.put(key, v);
                skipWhitespace();
                if (pos >= s.length()) {
                    throw error("expected ',' or '}' but found end of input");
                }
                char c = s.charAt(pos);
                if (c == ',') {
                    pos++;
                } else if (c == '}') {
                    pos++;
                    return out;
                } else {
                    throw error("expected ',' or '}' but found " + describe(pos));
                }
            }
        }

        List<Object> array(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH);
            }
            pos++; // '['
            List<Object> out = new ArrayList<>();
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return out;
            }
            while (true) {
                skipWhitespace();
                out.add(value(depth));
                skipWhitespace();
                if (pos >= s.length()) {
                    throw error("expected ',' or ']' but found end of input");
                }
                char c = s.charAt(pos);
                if (c == ',') {
                    pos++;
                } else if (c == ']') {
                    pos++;
                    return out;
                } else {
                    throw error("expected ',' or ']' but found " + describe(pos));
                }
            }
        }

        String string() {
            int start = pos;
            pos++; // opening quote
            StringBuilder sb = null;
            int runStart = pos;
            while (true) {
                if (pos >= s.length()) {
                    throw errorAt(start, "unterminated string");
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    String tail = s.substring(runStart, pos);
                    pos++;
                    return sb == null ? tail : sb.append(tail).toString();
                }
                if (c < 0x20) {
                    throw error("raw " + describe(pos) + " in string (must be escaped)");
                }
                if (c == '\\') {
                    if (sb == null) {
                        sb = new StringBuilder();
                    }
                    sb.append(s, runStart, pos);
                    pos++;
                    if (pos >= s.length()) {
                        throw errorAt(start, "unterminated string");
                    }
                    char e = s.charAt(pos);
                    switch (e) {
                        case '"': sb.append('"'); break;
                        case '\\': sb.append('\\'); break;
                        case '/': sb.append('/'); break;
                        case 'b': sb.append('\b'); break;
                        case 'f': sb.append('\f'); break;
                        case 'n': sb.append('\n'); break;
                        case 'r': sb.append('\r'); break;
                        case 't': sb.append('\t'); break;
                        case 'u':
                            if (pos + 4 >= s.length()) {
                                throw error("truncated \\u escape");
                            }
                            int cp = 0;
                            for (int k = 1; k <= 4; k++) {
                                int h = Character.digit(s.charAt(pos + k), 16);
                                if (h < 0) {
                                    throw errorAt(pos + k, "invalid hex digit " + describe(pos + k) + " in \\u escape");
                                }
                                cp = cp * 16 + h;
                            }
                            sb.append((char) cp);
                            pos += 4;
                            break;
                        default:
                            throw error("invalid escape '\\" + e + "'");
                    }
                    pos++;
                    runStart = pos;
                } else {
                    pos++;
                }
            }
        }

        Object number() {
            int start = pos;
            boolean integral = true;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                throw error("expected a digit but found " + describe(pos));
            }
            if (s.charAt(pos) == '0') {
                pos++;
                if (pos < s.length() && isDigit(s.charAt(pos))) {
                    throw error("leading zero in number");
                }
            } else {
                while (pos < s.length() && isDigit(s.charAt(pos))) {
                    pos++;
                }
            }
            if (pos < s.length() && s.charAt(pos) == '.') {
                integral = false;
                pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw error("expected a digit after the decimal point but found " + describe(pos));
                }
                while (pos < s.length() && isDigit(s.charAt(pos))) {
                    pos++;
                }
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw error("expected a digit in the exponent but found " + describe(pos));
                }
                while (pos < s.length() && isDigit(s.charAt(pos))) {
                    pos++;
                }
            }
            String lit = s.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(lit);
                } catch (NumberFormatException overflow) {
                    return Double.parseDouble(lit);
                }
            }
            return Double.parseDouble(lit);
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }

    // ================================================================== writing

    /** Compact JSON (no whitespace). */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, false).value(value, "$", 0);
        return sb.toString();
    }

    /** Indented JSON (two spaces; arrays of scalars on one line), ending without a newline. */
    public static String writePretty(Object value) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, true).value(value, "$", 0);
        return sb.toString();
    }

    private static final class Writer {
        private final StringBuilder sb;
        private final boolean pretty;

        Writer(StringBuilder sb, boolean pretty) {
            this.sb = sb;
            this.pretty = pretty;
        }

        void newline(int indent) {
            if (pretty) {
                sb.append('\n');
                for (int i = 0; i < indent; i++) {
                    sb.append("  ");
                }
            }
        }

        void value(Object v, String path, int indent) {
            if (v == null) {
                sb.append("null");
            } else if (v instanceof String) {
                quote((String) v, sb);
            } else if (v instanceof Boolean) {
                sb.append(v);
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof BigInteger) {
                sb.append(v);
            } else if (v instanceof Double) {
                sb.append(formatDouble((Double) v, path));
            } else if (v instanceof Float) {
                sb.append(formatFloat((Float) v, path));
            } else if (v instanceof BigDecimal) {
                sb.append(((BigDecimal) v).toString().replace('E', 'e'));
            } else if (v instanceof Map) {
                map((Map<?, ?>) v, path, indent);
            } else if (v instanceof Iterable) {
                List<Object> items = new ArrayList<>();
                for (Object o : (Iterable<?>) v) {
                    items.add(o);
                }
                list(items, path, indent);
            } else if (v instanceof double[]) {
                List<Object> items = new ArrayList<>();
                for (double d : (double[]) v) {
                    items.add(d);
                }
                list(items, path, indent);
            } else if (v instanceof float[]) {
                List<Object> items = new ArrayList<>();
                for (float f : (float[]) v) {
                    items.add(f);
                }
                list(items, path, indent);
            } else if (v instanceof long[]) {
                List<Object> items = new ArrayList<>();
                for (long l : (long[]) v) {
                    items.add(l);
                }
                list(items, path, indent);
            } else if (v instanceof int[]) {
                List<Object> items = new ArrayList<>();
                for (int i : (int[]) v) {
                    items.add(i);
                }
                list(items, path, indent);
            } else if (v instanceof Object[]) {
                list(List.of((Object[]) v), path, indent);
            } else {
                throw new IllegalArgumentException("Json.write: cannot write a " + v.getClass().getName() + " at " + path);
            }
        }

        void map(Map<?, ?> m, String path, int indent) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            Map<?, ?> ordered = m;
            if (!(m instanceof LinkedHashMap) && !(m instanceof SortedMap)) {
                TreeMap<String, Object> sorted = new TreeMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sorted.put(key(e.getKey(), path), e.getValue());
                }
                ordered = sorted;
            }
            sb.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = ordered.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                String k = key(e.getKey(), path);
                newline(indent + 1);
                quote(k, sb);
                sb.append(pretty ? ": " : ":");
                value(e.getValue(), path + "." + k, indent + 1);
                if (it.hasNext()) {
                    sb.append(',');
                }
            }
            newline(indent);
            sb.append('}');
        }

        private static String key(Object k, String path) {
            if (!(k instanceof String)) {
                throw new IllegalArgumentException("Json.write: map key " + k + " at " + path + " is a "
                        + (k == null ? "null" : k.getClass().getSimpleName()) + ", JSON keys must be strings");
            }
            return (String) k;
        }

        void list(List<Object> items, String path, int indent) {
            if (items.isEmpty()) {
                sb.append("[]");
                return;
            }
            boolean inline = !pretty || items.stream().noneMatch(o -> o instanceof Map || o instanceof Iterable || (o != null && o.getClass().isArray()));
            sb.append('[');
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                    if (inline && pretty) {
                        sb.append(' ');
                    }
                }
                if (!inline) {
                    newline(indent + 1);
                }
                value(items.get(i), path + "[" + i + "]", indent + 1);
            }
            if (!inline) {
                newline(indent);
            }
            sb.append(']');
        }
    }

    /** Appends {@code s} as a JSON string literal (quotes, backslashes and control characters escaped). */
    static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    /**
     * The shortest decimal representation of {@code v} that parses back to the same double, e.g.
     * {@code 0.1}, {@code 1.0}, {@code -0.0}, {@code 1.0e21}, {@code 5.0e-324}. Plain notation for decimal
     * exponents in [−6, 21), scientific otherwise (as JavaScript does).
     */
    public static String formatDouble(double v) {
        return formatDouble(v, "value");
    }

    private static String formatDouble(double v, String path) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("Json.write: " + v + " at " + path + " cannot be written (JSON has no NaN or infinity)");
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) == 0 ? "0.0" : "-0.0";
        }
        return format(shortest(new BigDecimal(v), digitsOf(Double.toString(v)), c -> Double.parseDouble(c) == v));
    }

    private static String formatFloat(float v, String path) {
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException("Json.write: " + v + " at " + path + " cannot be written (JSON has no NaN or infinity)");
        }
        if (v == 0) {
            return Float.floatToRawIntBits(v) == 0 ? "0.0" : "-0.0";
        }
        return format(shortest(new BigDecimal(v), digitsOf(Float.toString(v)), c -> Float.parseFloat(c) == v));
    }

    /**
     * Fewest significant digits that round trip. Round-tripping decimals form an interval around the exact
     * binary value x, so if some p-digit decimal round trips, so does one of the two p-digit decimals
     * bracketing x (floor_p(x) and the next one up), and if p digits suffice so do p + 1: a binary search over
     * p with two candidates per probe. x is first truncated to 40 digits, which leaves floor_p unchanged for
     * p ≤ 17 (every p-digit decimal is a 40-digit one) and avoids rounding its exact expansion (up to ~750
     * digits) over and over. The JDK's {@code toString} round trips, so its digit count bounds the answer,
     * and is usually the answer (one probe confirms that).
     */
    private static BigDecimal shortest(BigDecimal exact, int maxDigits, java.util.function.Predicate<String> roundTrips) {
        boolean negative = exact.signum() < 0;
        BigDecimal x = exact.abs().round(new MathContext(40, RoundingMode.DOWN));
        int lo = 1;
        int hi = maxDigits;
        if (hi > 1 && candidate(x, hi - 1, negative, roundTrips) == null) {
            lo = hi;
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (candidate(x, mid, negative, roundTrips) != null) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        BigDecimal best = candidate(x, lo, negative, roundTrips);
        if (best == null) {
            throw new IllegalStateException("no round-tripping decimal for " + exact);
        }
        return (negative ? best.negate() : best).stripTrailingZeros();
    }

    /** Significant digits of a JDK {@code toString} result such as {@code 1.25E-5} or {@code 100.0}. */
    private static int digitsOf(String jdk) {
        int e = jdk.indexOf('E');
        return Math.min(17, new BigDecimal(e < 0 ? jdk : jdk.substring(0, e)).stripTrailingZeros().precision());
    }

    private static BigDecimal candidate(BigDecimal x, int p, boolean negative, java.util.function.Predicate<String> roundTrips) {
        BigDecimal down = x.round(new MathContext(p, RoundingMode.FLOOR));
        int exp10 = down.precision() - down.scale() - 1;
        BigDecimal up = down.add(BigDecimal.ONE.scaleByPowerOfTen(exp10 - p + 1));
        boolean downOk = roundTrips.test((negative ? "-" : "") + down);
        boolean upOk = roundTrips.test((negative ? "-" : "") + up);
        if (downOk && upOk) {
            return x.subtract(down).compareTo(up.subtract(x)) <= 0 ? down : up;
        }
        return downOk ? down : upOk ? up : null;
    }

    private static String format(BigDecimal c) {
        String digits = c.unscaledValue().abs().toString();
        int exp10 = digits.length() - 1 - c.scale();
        String sign = c.signum() < 0 ? "-" : "";
        if (exp10 >= -6 && exp10 < 21) {
            String plain = c.abs().toPlainString();
            return sign + (plain.indexOf('.') < 0 ? plain + ".0" : plain);
        }
        String mantissa = digits.length() == 1 ? digits + ".0" : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + exp10;
    }
}
