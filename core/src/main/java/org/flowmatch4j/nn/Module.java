package org.flowmatch4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Tensor;

/**
 * A network component owning named parameters and sub-modules. Parameter names are stable,
 * dot-separated and PyTorch-style ({@code layers.0.weight}, weight shape {@code [out, in]}), usable as
 * checkpoint keys. Buffers are named, non-trainable tensors that belong to the model's state (e.g. fixed
 * random Fourier frequencies).
 */
public abstract class Module {
    private final Map<String, Var> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();

    /** Registers a trainable parameter initialised to {@code init} (the tensor is adopted, not copied). */
    protected final Var registerParameter(String name, Tensor init) {
        requireFreshName(name);
        Var p = Var.param(init).named(name);
        params.put(name, p);
        return p;
    }

    /** Registers a non-trainable state tensor. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        requireFreshName(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers a sub-module; its parameters appear as {@code name.childParam}. */
    protected final <M extends Module> M registerModule(String name, M child) {
        requireFreshName(name);
        children.put(name, child);
        return child;
    }

    private void requireFreshName(String name) {
        if (name.isEmpty() || name.contains(".") || params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("invalid or duplicate member name '" + name + "' in " + getClass().getSimpleName());
        }
    }

    /** Every parameter by its full dotted name, in registration order (depth first). */
    public final Map<String, Var> namedParameters() {
        Map<String, Var> out = new LinkedHashMap<>();
        collectParameters("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collectParameters(String prefix, Map<String, Var> out) {
        params.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, m) -> m.collectParameters(prefix + k + ".", out));
    }

    /** Every buffer by its full dotted name. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collectBuffers(String prefix, Map<String, Tensor> out) {
        buffers.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, m) -> m.collectBuffers(prefix + k + ".", out));
    }

    /** Parameters and buffers by name: the complete state to save (values shared, not copied). */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParameters().forEach((k, v) -> out.put(k, v.value()));
        out.putAll(namedBuffers());
        return out;
    }

    /**
     * Copies values from a state dictionary into this module's parameters and buffers. Every key must be
     * present with the right shape and dtype, and no extra key may appear; nothing is modified unless all
     * of them match.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> own = stateDict();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                problems.add("missing " + e.getKey());
            } else if (!java.util.Arrays.equals(src.shape(), e.getValue().shape()) || src.dtype() != e.getValue().dtype()) {
                problems.add(e.getKey() + ": expected " + e.getValue().dtype().label() + java.util.Arrays.toString(e.getValue().shape())
                        + ", got " + src.dtype().label() + java.util.Arrays.toString(src.shape()));
            }
        }
        for (String k : state.keySet()) {
            if (!own.containsKey(k)) {
                problems.add("unexpected " + k);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("state dict does not match " + getClass().getSimpleName() + ": " + String.join("; ", problems));
        }
        own.forEach((k, t) -> t.copyFromInPlace(state.get(k)));
    }

    /** All parameters in {@link #namedParameters()} order. */
    public final List<Var> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Number of scalar parameters. */
    public final long parameterCount() {
        long n = 0;
        for (Var p : namedParameters().values()) {
            n += p.value().numel();
        }
        return n;
    }

    /** Zeroes every parameter's accumulated gradient. */
    public final void zeroGrad() {
        for (Var p : namedParameters().values()) {
            p.zeroGrad();
        }
    }

    /** Element type of the parameters (float32 unless built otherwise). */
    public DType dtype() {
        for (Var p : namedParameters().values()) {
            return p.dtype();
        }
        return DType.FLOAT32;
    }
}
