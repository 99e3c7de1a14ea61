package org.flowmatch4j.nn;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;

/**
 * A residual velocity network: {@code in = Linear([x, emb(t)])}, then {@code blocks} {@link ResidualBlock}s
 * each conditioned on the time features, then {@code out = Linear(act(h))}.
 */
public final class ResidualTimeMlp extends Module implements TimeConditionedNet {
    private final int dim;
    private final TimeEmbedding embedding;
    private final Linear input;
    private final ModuleList blocks;
    private final Linear output;
    private final Activation act;

    /** A network of the given width and number of residual blocks. */
    public ResidualTimeMlp(int dim, int width, int numBlocks, Activation act, TimeEmbedding embedding, DType dtype, Rng rng) {
        this.dim = dim;
        this.act = act;
        this.embedding = embedding;
        if (embedding instanceof Module) {
            registerModule("time", (Module) embedding);
        }
        this.input = registerModule("input", new Linear(dim + embedding.dim(), width, true, dtype, rng));
        this.blocks = registerModule("blocks", new ModuleList());
        for (int i = 0; i < numBlocks; i++) {
            blocks.add(new ResidualBlock(width, embedding.dim(), act, dtype, rng));
        }
        this.output = registerModule("output", new Linear(width, dim, true, dtype, rng));
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public Var forward(Var x, Var t) {
        Var e = embedding.embed(t);
        Var h = input.forward(Var.concat(1, x, e));
        for (int i = 0; i < blocks.size(); i++) {
            h = blockAt(i).forward(h, e);
        }
        return output.forward(h.activation(act));
    }

    private ResidualBlock blockAt(int i) {
        return (ResidualBlock) blocks.get(i);
    }

    @Override
    public Module module() {
        return this;
    }
}
