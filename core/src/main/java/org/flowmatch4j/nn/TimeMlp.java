package org.flowmatch4j.nn;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;

/**
 * The standard velocity network: {@code v(t, x) = MLP([x, emb(t)])}, an {@link Mlp} on x concatenated
 * with the time features. Parameters are named {@code net.layers.i.weight}.
 */
public final class TimeMlp extends Module implements TimeConditionedNet {
    private final int dim;
    private final TimeEmbedding embedding;
    private final Mlp net;

    /**
     * @param hiddenLayers number of hidden layers L (the network has L+1 Linear layers)
     */
    public TimeMlp(int dim, int hidden, int hiddenLayers, Activation act, TimeEmbedding embedding, DType dtype, Rng rng) {
        this.dim = dim;
        this.embedding = embedding;
        if (embedding instanceof Module) {
            registerModule("time", (Module) embedding);
        }
        this.net = registerModule("net", new Mlp(dim + embedding.dim(), hidden, dim, hiddenLayers, act, dtype, rng));
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public Var forward(Var x, Var t) {
        return net.forward(Var.concat(1, x, embedding.embed(t)));
    }

    @Override
    public Module module() {
        return this;
    }

    /** The underlying MLP (input width {@code dim + embedding.dim()}). */
    public Mlp mlp() {
        return net;
    }

    /** The time embedding. */
    public TimeEmbedding embedding() {
        return embedding;
    }
}
