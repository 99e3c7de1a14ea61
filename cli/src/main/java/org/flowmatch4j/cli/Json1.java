package org.flowmatch4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import org.flowmatch4j.io.Json;

/** Builds the one-line JSON summary every command prints last. */
final class Json1 {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    Json1 put(String k, Object v) {
        if (v instanceof Integer) {
            v = ((Integer) v).longValue();
        }
        if (v instanceof Double && !Double.isFinite((Double) v)) {
            v = null;
        }
        fields.put(k, v);
        return this;
    }

    void print() {
        System.out.println(Json.write(fields));
    }
}
