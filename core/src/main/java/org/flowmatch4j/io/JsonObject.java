package org.flowmatch4j.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read-only view of a parsed JSON object with typed accessors whose errors say where the value is
 * ({@code where}, e.g. {@code "config.json: model"}), which key, what type was expected and what was found.
 * Missing or wrong-typed keys and, through {@link #requireOnlyKeys}, unknown keys are
 * {@link IllegalArgumentException}s: a misspelt option must fail loudly rather than be silently ignored.
 */
public final class JsonObject {
    private final Map<String, Object> map;
    private final String where;

    /** A view of {@code map}; {@code where} names it in messages (a file name, or a path inside one). */
    public JsonObject(Map<String, Object> map, String where) {
        if (map == null) {
            throw new IllegalArgumentException("JsonObject: map is null (" + where + ")");
        }
        this.map = Collections.unmodifiableMap(map);
        this.where = where;
    }

    /** The underlying members, in document order (unmodifiable). */
    public Map<String, Object> asMap() {
        return map;
    }

    /** Where this object is, as used in messages. */
    public String where() {
        return where;
    }

    /** Whether the key is present (even with a null value). */
    public boolean has(String key) {
        return map.containsKey(key);
    }

    /** The member names in document order. */
    public Set<String> keys() {
        return map.keySet();
    }

    /**
     * Rejects every key not in {@code allowed}, naming each unknown key and, when one is close, the allowed
     * key it was probably meant to be.
     */
    public JsonObject requireOnlyKeys(String... allowed) {
        return requireOnlyKeys(new LinkedHashSet<>(Arrays.asList(allowed)));
    }

    /** As {@link #requireOnlyKeys(String...)}. */
    public JsonObject requireOnlyKeys(Set<String> allowed) {
        List<String> problems = new ArrayList<>();
        for (String k : map.keySet()) {
            if (!allowed.contains(k)) {
                String hint = nearest(k, allowed);
                problems.add("unknown key \"" + k + "\"" + (hint == null ? "" : " (did you mean \"" + hint + "\"?)"));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + String.join("; ", problems) + "; allowed keys: " + allowed);
        }
        return this;
    }

    private static String nearest(String k, Set<String> allowed) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String a : allowed) {
            int d = editDistance(k.toLowerCase(java.util.Locale.ROOT), a.toLowerCase(java.util.Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = a;
            }
        }
        return best != null && bestD <= Math.max(1, Math.min(k.length(), best.length()) / 3) ? best : null;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private Object require(String key) {
        if (!map.containsKey(key)) {
            throw new IllegalArgumentException(where + ": missing required key \"" + key + "\"");
        }
        return map.get(key);
    }

    private IllegalArgumentException wrongType(String key, String expected, Object got) {
        return new IllegalArgumentException(where + ": key \"" + key + "\" must be " + expected + ", got " + describe(got));
    }

    static String typeName(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (isIntegral(v)) {
            return "an integer";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        return v.getClass().getSimpleName();
    }

    /** Integers as parsed (Long) or as put into a hand-built map (Integer, Short, Byte). */
    private static boolean isIntegral(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
    }

    private static boolean isNumber(Object v) {
        return isIntegral(v) || v instanceof Double || v instanceof Float;
    }

    private static String describe(Object v) {
        if (v instanceof Map || v instanceof List) {
            return typeName(v);
        }
        String shown = v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
        if (shown.length() > 60) {
            shown = shown.substring(0, 57) + "...";
        }
        return typeName(v) + (v == null ? "" : " " + shown);
    }

    /** A required string. */
    public String string(String key) {
        Object v = require(key);
        if (!(v instanceof String)) {
            throw wrongType(key, "a string", v);
        }
        return (String) v;
    }

    /** An optional string ({@code fallback} when absent). */
    public String string(String key, String fallback) {
        return map.containsKey(key) ? string(key) : fallback;
    }

    /** A required number (integers are accepted and converted exactly when |n| ≤ 2^53). */
    public double number(String key) {
        Object v = require(key);
        if (!isNumber(v)) {
            throw wrongType(key, "a number", v);
        }
        return ((Number) v).doubleValue();
    }

    /** An optional number. */
    public double number(String key, double fallback) {
        return map.containsKey(key) ? number(key) : fallback;
    }

    /** A required integer (a JSON number without fraction; {@code 3.0} is rejected as a likely typo). */
    public long integer(String key) {
        Object v = require(key);
        if (!isIntegral(v)) {
            throw wrongType(key, "an integer", v);
        }
        return ((Number) v).longValue();
    }

    /** An optional integer. */
    public long integer(String key, long fallback) {
        return map.containsKey(key) ? integer(key) : fallback;
    }

    /** A required integer that fits an {@code int} and lies in [{@code min}, {@code max}]. */
    public int intInRange(String key, int min, int max) {
        long v = integer(key);
        if (v < min || v > max) {
            throw new IllegalArgumentException(where + ": key \"" + key + "\" must be in [" + min + ", " + max + "], got " + v);
        }
        return (int) v;
    }

    /** A required boolean. */
    public boolean bool(String key) {
        Object v = require(key);
        if (!(v instanceof Boolean)) {
            throw wrongType(key, "a boolean", v);
        }
        return (Boolean) v;
    }

    /** An optional boolean. */
    public boolean bool(String key, boolean fallback) {
        return map.containsKey(key) ? bool(key) : fallback;
    }

    /** A required nested object, whose messages name it as {@code where.key}. */
    @SuppressWarnings("unchecked")
    public JsonObject object(String key) {
        Object v = require(key);
        if (!(v instanceof Map)) {
            throw wrongType(key, "an object", v);
        }
        return new JsonObject((Map<String, Object>) v, where + "." + key);
    }

    /** A required array (elements as parsed). */
    @SuppressWarnings("unchecked")
    public List<Object> list(String key) {
        Object v = require(key);
        if (!(v instanceof List)) {
            throw wrongType(key, "an array", v);
        }
        return Collections.unmodifiableList((List<Object>) v);
    }

    /** A required array of numbers. */
    public double[] doubleArray(String key) {
        List<Object> l = list(key);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            Object o = l.get(i);
            if (!isNumber(o)) {
                throw new IllegalArgumentException(where + ": element " + i + " of \"" + key + "\" must be a number, got " + describe(o));
            }
            out[i] = ((Number) o).doubleValue();
        }
        return out;
    }

    /** A required array of integers. */
    public long[] longArray(String key) {
        List<Object> l = list(key);
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            Object o = l.get(i);
            if (!isIntegral(o)) {
                throw new IllegalArgumentException(where + ": element " + i + " of \"" + key + "\" must be an integer, got " + describe(o));
            }
            out[i] = ((Number) o).longValue();
        }
        return out;
    }

    /** A required object whose values are all strings (e.g. safetensors {@code __metadata__}). */
    public Map<String, String> stringMap(String key) {
        JsonObject o = object(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : o.map.entrySet()) {
            if (!(e.getValue() instanceof String)) {
                throw new IllegalArgumentException(o.where + ": value of \"" + e.getKey() + "\" must be a string, got " + describe(e.getValue()));
            }
            out.put(e.getKey(), (String) e.getValue());
        }
        return out;
    }

    @Override
    public String toString() {
        return Json.write(map);
    }
}
