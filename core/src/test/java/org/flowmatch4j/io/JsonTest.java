package org.flowmatch4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.flowmatch4j.tensor.Rng;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryValueTypeKeepingMemberOrder() {
        Object v = Json.parse(" {\"z\": 1, \"a\": [true, false, null, -0.5e2, 12345678901234, \"x\\ty\\u00e9\\ud83d\\ude00\"], \"m\": {}, \"e\": []} ");
        assertThat(v).isInstanceOf(LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m.keySet()).containsExactly("z", "a", "m", "e");
        assertThat(m.get("z")).isEqualTo(1L);
        List<?> a = (List<?>) m.get("a");
        assertThat(a.get(0)).isEqualTo(true);
        assertThat(a.get(1)).isEqualTo(false);
        assertThat(a.get(2)).isNull();
        assertThat(a.get(3)).isEqualTo(-50.0);
        assertThat(a.get(4)).isEqualTo(12345678901234L);
        assertThat(a.get(5)).isEqualTo("x\ty\u00e9\uD83D\uDE00");
        assertThat(m.get("m")).isEqualTo(Map.of());
        assertThat(m.get("e")).isEqualTo(List.of());
        // an integer too large for a long becomes the nearest double rather than failing or wrapping
        assertThat(Json.parse("123456789012345678901234")).isEqualTo(1.2345678901234568e23);
    }

    @Test
    void writeParseRoundTripIsExactAndStable() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", "a \"quoted\" \\ name\nwith\u0001control");
        doc.put("lr", 3e-4);
        doc.put("steps", 100000L);
        doc.put("neg_zero", -0.0);
        doc.put("flag", true);
        doc.put("nothing", null);
        doc.put("shape", List.of(2L, 3L));
        doc.put("nested", new LinkedHashMap<>(Map.of("k", List.of(1.5, "s"))));
        String compact = Json.write(doc);
        String pretty = Json.writePretty(doc);
        assertThat(Json.parse(compact)).isEqualTo(doc);
        assertThat(Json.parse(pretty)).isEqualTo(doc);
        assertThat(Json.write(Json.parse(compact))).isEqualTo(compact);
        assertThat(Double.doubleToRawLongBits((Double) ((Map<?, ?>) Json.parse(compact)).get("neg_zero"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(compact).doesNotContain("\n").contains("\\u0001").contains("\\\"quoted\\\"");
    }

    @Test
    void prettyLayoutIsAsDocumented() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("a", 1L);
        doc.put("shape", new int[] {2, 3});
        doc.put("o", new LinkedHashMap<>(Map.of("x", 0.25)));
        doc.put("empty", List.of());
        assertThat(Json.writePretty(doc)).isEqualTo("{\n  \"a\": 1,\n  \"shape\": [2, 3],\n  \"o\": {\n    \"x\": 0.25\n  },\n  \"empty\": []\n}");
        assertThat(Json.write(doc)).isEqualTo("{\"a\":1,\"shape\":[2,3],\"o\":{\"x\":0.25},\"empty\":[]}");
    }

    @Test
    void unorderedMapsAreWrittenInSortedKeyOrder() {
        Map<String, Object> h = new HashMap<>();
        for (String k : List.of("delta", "alpha", "charlie", "bravo", "echo")) {
            h.put(k, k.length());
        }
        assertThat(Json.write(h)).isEqualTo("{\"alpha\":5,\"bravo\":5,\"charlie\":7,\"delta\":5,\"echo\":4}");
        assertThat(Json.write(Map.of("b", 1, "a", 2))).isEqualTo("{\"a\":2,\"b\":1}");
    }

    @Test
    void doublesRoundTripBitForBitWithTheShortestDigits() {
        Rng rng = new Rng(5);
        for (int i = 0; i < 1000; i++) {
            double d = i % 3 == 0 ? Double.longBitsToDouble(rng.nextLong()) : (rng.nextDouble() - 0.5) * Math.pow(10, rng.nextInt(40) - 20);
            if (!Double.isFinite(d)) {
                continue;
            }
            String s = Json.formatDouble(d);
            Object back = Json.parse(s);
            assertThat(back).as(s).isInstanceOf(Double.class);
            assertThat(Double.doubleToRawLongBits((Double) back)).as(s).isEqualTo(Double.doubleToRawLongBits(d));
            // brute force: the fewest significant digits (printf rounds the exact binary value) that parse back
            int minDigits = 17;
            for (int p = 1; p <= 17; p++) {
                if (Double.parseDouble(String.format(Locale.ROOT, "%." + (p - 1) + "e", d)) == d) {
                    minDigits = p;
                    break;
                }
            }
            assertThat(significantDigits(s)).as("%s for %s", s, d).isLessThanOrEqualTo(minDigits);
            if (Runtime.version().feature() >= 19) {
                // from Java 19 Double.toString is specified to be shortest (Raffaello Giulietti's algorithm)
                assertThat(significantDigits(s)).as(s).isEqualTo(significantDigits(Double.toString(d)));
            }
        }
        assertThat(Json.formatDouble(0.1)).isEqualTo("0.1");
        assertThat(Json.formatDouble(1.0)).isEqualTo("1.0");
        assertThat(Json.formatDouble(-2.5)).isEqualTo("-2.5");
        assertThat(Json.formatDouble(1.0 / 3)).isEqualTo("0.3333333333333333");
        assertThat(Json.formatDouble(100.0)).isEqualTo("100.0");
        assertThat(Json.formatDouble(1e21)).isEqualTo("1.0e21");
        assertThat(Json.formatDouble(1e20)).isEqualTo("100000000000000000000.0");
        assertThat(Json.formatDouble(1.5e-7)).isEqualTo("1.5e-7");
        assertThat(Json.formatDouble(1.5e-6)).isEqualTo("0.0000015");
        assertThat(Json.formatDouble(-1.0e-6)).isEqualTo("-0.000001");
        assertThat(Json.formatDouble(9.999999999999999e20)).isEqualTo("999999999999999900000.0");
        // Java 17's Double.toString gives "4.9E-324" here; one digit suffices
        assertThat(Json.formatDouble(Double.MIN_VALUE)).isEqualTo("5.0e-324");
        assertThat(Json.formatDouble(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e308");
        assertThat(Json.formatDouble(-0.0)).isEqualTo("-0.0");
        // a float is written with the digits of the float, not of its widened double
        assertThat(Json.write(List.of(0.1f))).isEqualTo("[0.1]");
    }

    private static int significantDigits(String s) {
        String mant = s.toLowerCase(Locale.ROOT).split("e")[0];
        return new BigDecimal(mant).stripTrailingZeros().precision();
    }

    @Test
    void nonFiniteNumbersAndUnknownTypesAreRejectedWithTheirPath() {
        assertThatThrownBy(() -> Json.write(Map.of("cfg", Map.of("lr", Double.NaN))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$.cfg.lr").hasMessageContaining("NaN");
        assertThatThrownBy(() -> Json.write(List.of(1.0, Double.POSITIVE_INFINITY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$[1]");
        assertThatThrownBy(() -> Json.write(Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object").hasMessageContaining("$.x");
        assertThatThrownBy(() -> Json.write(Map.of(1, 2))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys must be strings");
    }

    private static JsonParseException error(String text) {
        JsonParseException e = catchThrowableOfType(JsonParseException.class, () -> Json.parse(text, "cfg.json"));
        assertThat(e).as("should reject: %s", text).isNotNull();
        assertThat(e.getMessage()).startsWith("cfg.json: invalid JSON at line " + e.line() + ", column " + e.column() + ": ");
        return e;
    }

    @Test
    void errorsGiveLineAndColumn() {
        JsonParseException e = error("{\n  \"a\": 1,\n  \"b\": tru\n}");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(8);
        e = error("{\"a\": 1,}");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(9);
        assertThat(e.problem()).contains("member name");
        e = error("[1,\r\n 2,\r\n 03]");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(3);
        assertThat(e.problem()).contains("leading zero");
        e = error("{\"k\": 1, \"k\": 2}");
        assertThat(e.column()).isEqualTo(10);
        assertThat(e.problem()).contains("duplicate member name \"k\"");
        e = error("\"abc");
        assertThat(e.column()).isEqualTo(1);
        assertThat(e.problem()).contains("unterminated string");
        e = error("{} x");
        assertThat(e.column()).isEqualTo(4);
        assertThat(e.problem()).contains("after the end");
    }

    @Test
    void strictGrammarRejectsCommonNonJson() {
        for (String bad : List.of("", "  ", "[1,]", "[1 2]", "{'a': 1}", "{a: 1}", "NaN", "Infinity", "-", "1.", ".5", "1e", "+1", "[1] // c",
                "/* c */ 1", "\"tab\there\"", "\"\\x\"", "\"\\u12G4\"", "tru", "nul", "{\"a\" 1}", "[", "{")) {
            error(bad);
        }
        error("[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1));
        assertThat(Json.parse("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH))).isInstanceOf(List.class);
    }

    @Test
    void typedAccessorsNameTheKeyTheExpectedTypeAndTheValueFound() {
        JsonObject o = Json.parseObject("{\"lr\": \"fast\", \"steps\": 3.0, \"n\": 5, \"model\": {\"hidden\": true}, \"xs\": [1, \"two\"]}", "run.json");
        assertThatThrownBy(() -> o.number("lr")).hasMessage("run.json: key \"lr\" must be a number, got a string \"fast\"");
        assertThatThrownBy(() -> o.integer("steps")).hasMessage("run.json: key \"steps\" must be an integer, got a number 3.0");
        assertThatThrownBy(() -> o.string("missing")).hasMessage("run.json: missing required key \"missing\"");
        assertThatThrownBy(() -> o.object("model").integer("hidden")).hasMessage("run.json.model: key \"hidden\" must be an integer, got a boolean true");
        assertThatThrownBy(() -> o.doubleArray("xs")).hasMessage("run.json: element 1 of \"xs\" must be a number, got a string \"two\"");
        assertThatThrownBy(() -> o.intInRange("n", 6, 10)).hasMessage("run.json: key \"n\" must be in [6, 10], got 5");
        assertThat(o.number("n")).isEqualTo(5.0);
        assertThat(o.integer("n")).isEqualTo(5L);
        assertThat(o.integer("absent", 7)).isEqualTo(7L);
        assertThat(o.object("model").bool("hidden")).isTrue();
        JsonObject built = new JsonObject(new LinkedHashMap<>(Map.of("n", 3, "x", 1.5f)), "built");
        assertThat(built.integer("n")).isEqualTo(3L);
        assertThat(built.number("x")).isEqualTo(1.5);
        assertThatThrownBy(() -> Json.parseObject("[1]", "x.json")).hasMessage("x.json: top-level value must be an object, got an array");
    }

    @Test
    void unknownKeysAreRejectedByNameWithASuggestion() {
        JsonObject o = Json.parseObject("{\"lr\": 0.1, \"batch_szie\": 64, \"colour\": 1}", "train.json");
        assertThatThrownBy(() -> o.requireOnlyKeys("lr", "batch_size", "steps"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("train.json: ")
                .hasMessageContaining("unknown key \"batch_szie\" (did you mean \"batch_size\"?)")
                .hasMessageContaining("unknown key \"colour\"")
                .hasMessageNotContaining("\"colour\" (did you mean")
                .hasMessageContaining("allowed keys: [lr, batch_size, steps]");
        assertThat(Json.parseObject("{\"lr\": 0.1}", "t").requireOnlyKeys("lr", "steps").number("lr")).isEqualTo(0.1);
    }
}
