package org.flowmatch4j.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.flowmatch4j.nn.Module;
import org.flowmatch4j.optim.Ema;
import org.flowmatch4j.optim.Optimizer;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * Everything needed to resume training bit for bit: model tensors, optimiser state tensors and step
 * counter, EMA tensors, the random generator's state, the training step and the run's JSON config.
 *
 * <p>It is stored as ONE safetensors file ({@link #save}), so replacing a checkpoint is a single atomic
 * rename: tensors are named {@code model.<name>}, {@code optim.<name>} (e.g. {@code optim.exp_avg.0}),
 * {@code ema.<name>} and, from format version 2, {@code extra.<name>} (trainer-side state such as the loss log
 * so far, see {@link CheckpointListener}); {@code __metadata__} holds {@code format = "flowmatch4j-checkpoint"},
 * {@code format_version}, {@code step}, {@code optimizer_steps}, {@code rng_state} (a JSON array of longs,
 * {@code []} when there is no generator) and {@code config} (JSON text), plus the whole-file checksum
 * {@link SafeTensors} adds. Version 1 files (no {@code extra.} tensors) still load; a file from a newer format
 * version is refused with {@link UnsupportedFormatVersionException}.
 *
 * <p>The maps keep their order and are unmodifiable, but the tensors are shared; {@link #capture} takes
 * copies, so a captured checkpoint does not change as training continues. {@code equals} compares the
 * tensor maps by identity, as tensors have no value equality.
 *
 * @param step           training step the state belongs to (≥ 0)
 * @param model          model parameters and buffers by name ({@link Module#stateDict()} names)
 * @param optimizer      optimiser state by name ({@link Optimizer#state()} names), possibly empty
 * @param optimizerSteps the optimiser's own step counter (bias corrections depend on it)
 * @param ema            EMA shadow tensors by model parameter name, possibly empty
 * @param rngState       {@link Rng#state()} of the training generator, or empty when there is none
 * @param configJson     the run's configuration, a JSON object
 * @param extra          further named tensors of the trainer's state (e.g. {@code log.loss}), possibly empty
 */
public record Checkpoint(long step, Map<String, Tensor> model, Map<String, Tensor> optimizer, long optimizerSteps, Map<String, Tensor> ema,
        long[] rngState, String configJson, Map<String, Tensor> extra) {

    /** The format name in the metadata. */
    public static final String FORMAT = "flowmatch4j-checkpoint";
    /** The format version this build writes, and the newest it reads. */
    public static final long FORMAT_VERSION = 2;
    /** The first format version with {@code extra.} tensors. */
    private static final long EXTRA_SINCE = 2;

    private static final List<String> METADATA_KEYS = List.of("format", "format_version", "step", "optimizer_steps", "rng_state", "config");

    /** Validates and freezes the fields (maps copied in order, the state array cloned). */
    public Checkpoint {
        if (step < 0 || optimizerSteps < 0) {
            throw new IllegalArgumentException("Checkpoint: step and optimizerSteps must be >= 0, got " + step + " and " + optimizerSteps);
        }
        model = freeze("model", model);
        optimizer = freeze("optimizer", optimizer);
        ema = freeze("ema", ema);
        extra = freeze("extra", extra);
        rngState = rngState == null ? new long[0] : rngState.clone();
        if (rngState.length != 0) {
            Rng.fromState(rngState); // rejects a malformed state now rather than at resume time
        }
        if (configJson == null) {
            throw new IllegalArgumentException("Checkpoint: configJson is null (use \"{}\")");
        }
        Json.parseObject(configJson, "Checkpoint config");
    }

    /** A checkpoint without extra tensors. */
    public Checkpoint(long step, Map<String, Tensor> model, Map<String, Tensor> optimizer, long optimizerSteps, Map<String, Tensor> ema,
            long[] rngState, String configJson) {
        this(step, model, optimizer, optimizerSteps, ema, rngState, configJson, Map.of());
    }

    private static Map<String, Tensor> freeze(String what, Map<String, Tensor> m) {
        if (m == null) {
            throw new IllegalArgumentException("Checkpoint: " + what + " tensors are null (use an empty map)");
        }
        Map<String, Tensor> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k == null || k.isEmpty() || v == null) {
                throw new IllegalArgumentException("Checkpoint: " + what + " has an empty name or a null tensor (" + k + ")");
            }
            copy.put(k, v);
        });
        return Collections.unmodifiableMap(copy);
    }

    /** The generator state (a copy). */
    @Override
    public long[] rngState() {
        return rngState.clone();
    }

    /** A generator resumed from {@link #rngState()}. */
    public Rng rng() {
        if (rngState.length == 0) {
            throw new IllegalStateException("Checkpoint at step " + step + " holds no generator state");
        }
        return Rng.fromState(rngState);
    }

    /** The parsed config. */
    public JsonObject config() {
        return Json.parseObject(configJson, "checkpoint config");
    }

    // ------------------------------------------------------------------ capture / restore

    /**
     * A snapshot of training state (tensors copied). {@code optimizer}, {@code ema} and {@code rng} may be
     * null; the EMA shadow is named after the model's parameters, in order.
     */
    public static Checkpoint capture(long step, Module model, Optimizer optimizer, Ema ema, Rng rng, String configJson) {
        return capture(step, model, optimizer, ema, rng, configJson, Map.of());
    }

    /** As {@link #capture(long, Module, Optimizer, Ema, Rng, String)}, with extra tensors (copied). */
    public static Checkpoint capture(long step, Module model, Optimizer optimizer, Ema ema, Rng rng, String configJson,
                                     Map<String, Tensor> extra) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        model.stateDict().forEach((k, t) -> m.put(k, t.copy()));
        Map<String, Tensor> o = new LinkedHashMap<>();
        if (optimizer != null) {
            optimizer.state().forEach((k, t) -> o.put(k, t.copy()));
        }
        Map<String, Tensor> e = new LinkedHashMap<>();
        if (ema != null) {
            List<String> names = new ArrayList<>(model.namedParameters().keySet());
            List<Tensor> shadow = ema.shadow();
            if (shadow.size() != names.size()) {
                throw new IllegalArgumentException("Checkpoint.capture: the EMA tracks " + shadow.size() + " tensors but the model has "
                        + names.size() + " parameters");
            }
            for (int i = 0; i < names.size(); i++) {
                e.put(names.get(i), shadow.get(i).copy());
            }
        }
        Map<String, Tensor> x = new LinkedHashMap<>();
        extra.forEach((k, t) -> x.put(k, t.copy()));
        return new Checkpoint(step, m, o, optimizer == null ? 0 : optimizer.steps(), e, rng == null ? null : rng.state(), configJson, x);
    }

    /**
     * Copies this checkpoint into live training objects ({@code optimizer}, {@code ema} may be null). Every
     * name, shape and dtype is checked first; nothing is modified unless all of them match.
     */
    public void restoreInto(Module target, Optimizer opt, Ema emaTarget) {
        List<String> problems = new ArrayList<>();
        Map<String, Tensor> own = target.stateDict();
        compare("model", own, model, problems);
        if (opt != null) {
            compare("optimizer", opt.state(), optimizer, problems);
        }
        List<String> paramNames = new ArrayList<>(target.namedParameters().keySet());
        if (emaTarget != null) {
            Map<String, Tensor> shadow = new LinkedHashMap<>();
            List<Tensor> live = emaTarget.shadow();
            if (live.size() != paramNames.size()) {
                problems.add("the EMA tracks " + live.size() + " tensors but the model has " + paramNames.size() + " parameters");
            } else {
                for (int i = 0; i < live.size(); i++) {
                    shadow.put(paramNames.get(i), live.get(i));
                }
                compare("ema", shadow, ema, problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Checkpoint at step " + step + " does not match the training objects: " + String.join("; ", problems));
        }
        target.loadStateDict(model);
        if (opt != null) {
            opt.state().forEach((k, t) -> t.copyFromInPlace(optimizer.get(k)));
            opt.setSteps(optimizerSteps);
        }
        if (emaTarget != null) {
            List<Tensor> live = emaTarget.shadow();
            for (int i = 0; i < live.size(); i++) {
                live.get(i).copyFromInPlace(ema.get(paramNames.get(i)));
            }
        }
    }

    private static void compare(String what, Map<String, Tensor> live, Map<String, Tensor> saved, List<String> problems) {
        for (Map.Entry<String, Tensor> e : live.entrySet()) {
            Tensor s = saved.get(e.getKey());
            Tensor t = e.getValue();
            if (s == null) {
                problems.add(what + ": missing " + e.getKey());
            } else if (!Arrays.equals(s.shape(), t.shape()) || s.dtype() != t.dtype()) {
                problems.add(what + "." + e.getKey() + ": expected " + t.dtype().label() + Arrays.toString(t.shape()) + ", saved "
                        + s.dtype().label() + Arrays.toString(s.shape()));
            }
        }
        for (String k : saved.keySet()) {
            if (!live.containsKey(k)) {
                problems.add(what + ": unexpected " + k);
            }
        }
    }

    // ------------------------------------------------------------------ file format

    /** Writes this checkpoint to {@code file} atomically (one safetensors file). */
    public void save(Path file) throws IOException {
        Map<String, Tensor> all = new LinkedHashMap<>();
        model.forEach((k, t) -> all.put("model." + k, t));
        optimizer.forEach((k, t) -> all.put("optim." + k, t));
        ema.forEach((k, t) -> all.put("ema." + k, t));
        extra.forEach((k, t) -> all.put("extra." + k, t));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", Long.toString(FORMAT_VERSION));
        meta.put("step", Long.toString(step));
        meta.put("optimizer_steps", Long.toString(optimizerSteps));
        meta.put("rng_state", Json.write(rngState));
        meta.put("config", configJson);
        SafeTensors.write(file, all, meta);
    }

    /**
     * Reads a checkpoint, validating the file (structure and checksum) and its metadata before returning.
     *
     * @throws CorruptModelFileException if the file is damaged, lacks its checksum or is not a checkpoint
     * @throws UnsupportedFormatVersionException if it was written by a newer format version
     */
    public static Checkpoint load(Path file) throws IOException {
        SafeTensorsFile f = SafeTensors.read(file, true);
        Map<String, String> meta = f.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new CorruptModelFileException(file, "metadata \"format\" is " + (meta.containsKey("format") ? "\"" + meta.get("format") + "\"" : "missing")
                    + ", expected \"" + FORMAT + "\": not a checkpoint");
        }
        long version = parseLong(file, meta, "format_version");
        if (version > FORMAT_VERSION) {
            throw new UnsupportedFormatVersionException(file, FORMAT, version, FORMAT_VERSION);
        }
        if (version < 1) {
            throw new CorruptModelFileException(file, "format_version " + version + " is invalid");
        }
        for (String k : meta.keySet()) {
            if (!METADATA_KEYS.contains(k)) {
                throw new CorruptModelFileException(file, "unknown metadata key \"" + k + "\" in a version " + version + " checkpoint");
            }
        }
        long step = parseLong(file, meta, "step");
        long optSteps = parseLong(file, meta, "optimizer_steps");
        Map<String, Tensor> m = new LinkedHashMap<>();
        Map<String, Tensor> o = new LinkedHashMap<>();
        Map<String, Tensor> e = new LinkedHashMap<>();
        Map<String, Tensor> x = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> t : f.tensors().entrySet()) {
            String name = t.getKey();
            if (name.startsWith("model.")) {
                m.put(name.substring(6), t.getValue());
            } else if (name.startsWith("optim.")) {
                o.put(name.substring(6), t.getValue());
            } else if (name.startsWith("ema.")) {
                e.put(name.substring(4), t.getValue());
            } else if (name.startsWith("extra.") && version >= EXTRA_SINCE) {
                x.put(name.substring(6), t.getValue());
            } else {
                throw new CorruptModelFileException(file, "tensor \"" + name + "\" has none of the prefixes model., optim., ema."
                        + (version >= EXTRA_SINCE ? ", extra." : " (extra. needs format version " + EXTRA_SINCE + ")"));
            }
        }
        try {
            Object rng = Json.parse(required(file, meta, "rng_state"), "rng_state");
            long[] state = new JsonObject(Map.of("rng_state", rng), "metadata").longArray("rng_state");
            return new Checkpoint(step, m, o, optSteps, e, state, required(file, meta, "config"), x);
        } catch (IllegalArgumentException ex) {
            throw new CorruptModelFileException(file, "invalid checkpoint metadata: " + ex.getMessage(), ex);
        }
    }

    private static String required(Path file, Map<String, String> meta, String key) throws CorruptModelFileException {
        String v = meta.get(key);
        if (v == null) {
            throw new CorruptModelFileException(file, "metadata key \"" + key + "\" is missing");
        }
        return v;
    }

    private static long parseLong(Path file, Map<String, String> meta, String key) throws CorruptModelFileException {
        String v = required(file, meta, key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException ex) {
            throw new CorruptModelFileException(file, "metadata \"" + key + "\" is \"" + v + "\", not an integer", ex);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.step == step && c.optimizerSteps == optimizerSteps && c.model.equals(model)
                && c.optimizer.equals(optimizer) && c.ema.equals(ema) && Arrays.equals(c.rngState, rngState) && c.configJson.equals(configJson)
                && c.extra.equals(extra);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(step) * 31 + Arrays.hashCode(rngState);
    }

    @Override
    public String toString() {
        return "Checkpoint[step=" + step + ", model=" + model.size() + " tensors, optimizer=" + optimizer.size() + " tensors, ema=" + ema.size()
                + " tensors, extra=" + extra.size() + " tensors, optimizerSteps=" + optimizerSteps + ", rngState=" + Arrays.toString(rngState) + "]";
    }
}
