package org.flowmatch4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;

/**
 * Multi-layer perceptron {@code Linear(in,H) → act → (Linear(H,H) → act)×(L−1) → Linear(H,out)}.
 * Parameters are named {@code layers.i.weight} / {@code layers.i.bias} with i counting Linear layers.
 */
public final class Mlp extends Module {
    private final List<Linear> layers;
    private final Activation activation;
    private final int in;
    private final int hidden;
    private final int out;

    /**
     * @param hiddenLayers L, the number of hidden layers (each followed by the activation); L ≥ 1
     */
    public Mlp(int in, int hidden, int out, int hiddenLayers, Activation activation, DType dtype, Rng rng) {
        if (hiddenLayers < 1) {
            throw new IllegalArgumentException("Mlp: needs at least one hidden layer, got " + hiddenLayers);
        }
        this.in = in;
        this.hidden = hidden;
        this.out = out;
        this.activation = activation;
        List<Linear> ls = new ArrayList<>();
        ModuleList list = registerModule("layers", new ModuleList());
        for (int i = 0; i <= hiddenLayers; i++) {
            int a = i == 0 ? in : hidden;
            int b = i == hiddenLayers ? out : hidden;
            ls.add(list.add(new Linear(a, b, true, dtype, rng)));
        }
        this.layers = Collections.unmodifiableList(ls);
    }

    /** Applies the network to {@code [batch, in]}. */
    public Var forward(Var x) {
        Var h = x;
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(h);
            if (i < layers.size() - 1) {
                h = h.activation(activation);
            }
        }
        return h;
    }

    /** The Linear layers in order. */
    public List<Linear> layers() {
        return layers;
    }

    /** The hidden activation. */
    public Activation activation() {
        return activation;
    }

    /** Input width. */
    public int inFeatures() {
        return in;
    }

    /** Hidden width. */
    public int hiddenFeatures() {
        return hidden;
    }

    /** Output width. */
    public int outFeatures() {
        return out;
    }
}
