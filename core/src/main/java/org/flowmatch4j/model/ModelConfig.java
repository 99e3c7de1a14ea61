package org.flowmatch4j.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.flowmatch4j.io.Json;
import org.flowmatch4j.io.JsonObject;

/**
 * Everything needed to rebuild a trained Flow Matching model (saved as {@code config.json} next to
 * {@code model.safetensors}): architecture, path, prediction target, data dimension and normalisation,
 * and how it was trained.
 *
 * @param mean  per-column mean subtracted before the network (data units)
 * @param std   per-column standard deviation divided out before the network
 */
public record ModelConfig(int formatVersion, String method, int dim, int hidden, int layers, String activation,
                          String timeEmbedding, String path, double sigma, String target, String coupling,
                          double[] mean, double[] std, List<String> columns, String data, long seed, long steps,
                          int batch, double learningRate, double ema, int threads) {
    /** The format this build writes and reads; a model directory from a newer version is refused. */
    public static final int FORMAT_VERSION = 1;
    private static final List<String> KEYS = List.of("format_version", "method", "dim", "hidden", "layers", "activation",
            "time_embedding", "path", "sigma", "target", "coupling", "normalization", "columns", "data", "training");

    /** Validates dimensions. */
    public ModelConfig {
        if (dim < 1 || hidden < 1 || layers < 1) {
            throw new IllegalArgumentException("config: dim, hidden and layers must be >= 1, got " + dim + ", " + hidden + ", " + layers);
        }
        if (mean.length != dim || std.length != dim || columns.size() != dim) {
            throw new IllegalArgumentException("config: normalization and columns must have dim = " + dim + " entries");
        }
    }

    /** The JSON text of this configuration. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format_version", (long) formatVersion);
        m.put("method", method);
        m.put("dim", (long) dim);
        m.put("hidden", (long) hidden);
        m.put("layers", (long) layers);
        m.put("activation", activation);
        m.put("time_embedding", timeEmbedding);
        m.put("path", path);
        m.put("sigma", sigma);
        m.put("target", target);
        m.put("coupling", coupling);
        Map<String, Object> norm = new LinkedHashMap<>();
        norm.put("mean", toList(mean));
        norm.put("std", toList(std));
        m.put("normalization", norm);
        m.put("columns", columns);
        m.put("data", data);
        Map<String, Object> tr = new LinkedHashMap<>();
        tr.put("seed", seed);
        tr.put("steps", steps);
        tr.put("batch", (long) batch);
        tr.put("lr", learningRate);
        tr.put("ema", ema);
        tr.put("threads", (long) threads);
        m.put("training", tr);
        return Json.writePretty(m);
    }

    private static List<Object> toList(double[] a) {
        List<Object> l = new java.util.ArrayList<>();
        for (double v : a) {
            l.add(v);
        }
        return l;
    }

    /** Parses a configuration, rejecting unknown keys by name and newer format versions. */
    public static ModelConfig fromJson(String text, String source) {
        JsonObject o = Json.parseObject(text, source);
        long version = o.integer("format_version");
        if (version > FORMAT_VERSION) {
            throw new IllegalArgumentException(source + ": model format version " + version + " is newer than this build supports ("
                    + FORMAT_VERSION + "); upgrade flowmatch4j to read it");
        }
        o.requireOnlyKeys(new java.util.HashSet<>(KEYS));
        JsonObject norm = o.object("normalization");
        norm.requireOnlyKeys("mean", "std");
        JsonObject tr = o.object("training");
        tr.requireOnlyKeys("seed", "steps", "batch", "lr", "ema", "threads");
        List<String> cols = new java.util.ArrayList<>();
        for (Object c : o.list("columns")) {
            cols.add(String.valueOf(c));
        }
        return new ModelConfig((int) version, o.string("method"), o.intInRange("dim", 1, 1 << 20), o.intInRange("hidden", 1, 1 << 20),
                o.intInRange("layers", 1, 1000), o.string("activation"), o.string("time_embedding"), o.string("path"),
                o.number("sigma"), o.string("target"), o.string("coupling"), norm.doubleArray("mean"), norm.doubleArray("std"),
                cols, o.string("data"), tr.integer("seed"), tr.integer("steps"), tr.intInRange("batch", 1, 1 << 24), tr.number("lr"),
                tr.number("ema"), tr.intInRange("threads", 1, 4096));
    }
}
