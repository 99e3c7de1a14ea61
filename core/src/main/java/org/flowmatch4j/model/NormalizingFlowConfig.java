package org.flowmatch4j.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.flowmatch4j.io.Json;
import org.flowmatch4j.io.JsonObject;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.nf.NfTrainingSettings;
import org.flowmatch4j.nf.RealNvpArchitecture;

/**
 * Everything needed to rebuild a trained RealNVP normalizing flow (saved as {@code config.json} next to
 * {@code model.safetensors}, method {@code "nf"}): architecture, data dimension and normalisation, and how it
 * was trained.
 *
 * @param couplings  number of affine coupling layers
 * @param hidden     width of each conditioner's hidden layers
 * @param layers     hidden layers per conditioner
 * @param scaleClamp soft clamp c of the log-scales, {@code s = c·tanh(ŝ/c)}
 * @param actNorm    whether an ActNorm precedes every coupling
 * @param mean       per-column mean subtracted before the flow (data units)
 * @param std        per-column standard deviation divided out before the flow
 */
public record NormalizingFlowConfig(int formatVersion, String method, int dim, int couplings, int hidden, int layers,
                                    String activation, double scaleClamp, boolean actNorm, double[] mean, double[] std,
                                    List<String> columns, String data, long seed, long steps, int batch, double learningRate,
                                    int threads) {
    /** The format this build writes and reads; a model directory from a newer version is refused. */
    public static final int FORMAT_VERSION = 1;
    /** The method name in {@code config.json}. */
    public static final String METHOD = "nf";
    private static final List<String> KEYS = List.of("format_version", "method", "dim", "couplings", "hidden", "layers",
            "activation", "scale_clamp", "actnorm", "normalization", "columns", "data", "training");

    /** Validates the values (the architecture's own checks included). */
    public NormalizingFlowConfig {
        if (!METHOD.equals(method)) {
            throw new IllegalArgumentException("config: method must be '" + METHOD + "' for a normalizing flow, got '" + method + "'");
        }
        if (mean.length != dim || std.length != dim || columns.size() != dim) {
            throw new IllegalArgumentException("config: normalization and columns must have dim = " + dim + " entries");
        }
        architectureOf(dim, couplings, hidden, layers, activation, scaleClamp, actNorm);
    }

    private static RealNvpArchitecture architectureOf(int dim, int couplings, int hidden, int layers, String activation,
                                                      double scaleClamp, boolean actNorm) {
        return new RealNvpArchitecture(dim, couplings, hidden, layers, Activation.parse(activation), scaleClamp, actNorm);
    }

    /** The flow's architecture. */
    public RealNvpArchitecture architecture() {
        return architectureOf(dim, couplings, hidden, layers, activation, scaleClamp, actNorm);
    }

    /** The training settings recorded here (no gradient clipping). */
    public NfTrainingSettings settings() {
        return new NfTrainingSettings(steps, batch, learningRate, 0, seed);
    }

    /** The JSON text of this configuration. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format_version", (long) formatVersion);
        m.put("method", method);
        m.put("dim", (long) dim);
        m.put("couplings", (long) couplings);
        m.put("hidden", (long) hidden);
        m.put("layers", (long) layers);
        m.put("activation", activation);
        m.put("scale_clamp", scaleClamp);
        m.put("actnorm", actNorm);
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
        tr.put("threads", (long) threads);
        m.put("training", tr);
        return Json.writePretty(m);
    }

    private static List<Object> toList(double[] a) {
        List<Object> l = new ArrayList<>();
        for (double v : a) {
            l.add(v);
        }
        return l;
    }

    /** Parses a configuration, rejecting unknown keys by name and newer format versions. */
    public static NormalizingFlowConfig fromJson(String text, String source) {
        JsonObject o = Json.parseObject(text, source);
        long version = o.integer("format_version");
        if (version > FORMAT_VERSION) {
            throw new IllegalArgumentException(source + ": model format version " + version + " is newer than this build supports ("
                    + FORMAT_VERSION + "); upgrade flowmatch4j to read it");
        }
        o.requireOnlyKeys(new HashSet<>(KEYS));
        JsonObject norm = o.object("normalization");
        norm.requireOnlyKeys("mean", "std");
        JsonObject tr = o.object("training");
        tr.requireOnlyKeys("seed", "steps", "batch", "lr", "threads");
        List<String> cols = new ArrayList<>();
        for (Object c : o.list("columns")) {
            cols.add(String.valueOf(c));
        }
        try {
            return new NormalizingFlowConfig((int) version, o.string("method"), o.intInRange("dim", 1, 1 << 20),
                    o.intInRange("couplings", 1, 10_000), o.intInRange("hidden", 1, 1 << 20), o.intInRange("layers", 1, 1000),
                    o.string("activation"), o.number("scale_clamp"), o.bool("actnorm"), norm.doubleArray("mean"),
                    norm.doubleArray("std"), cols, o.string("data"), tr.integer("seed"), tr.integer("steps"),
                    tr.intInRange("batch", 1, 1 << 24), tr.number("lr"), tr.intInRange("threads", 1, 4096));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }
}
