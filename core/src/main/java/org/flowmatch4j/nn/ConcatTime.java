package org.flowmatch4j.nn;

import org.flowmatch4j.autodiff.Var;

/** The identity embedding: t itself as one feature, {@code [batch] → [batch, 1]} (the seed's {@code [x_t, t]} input). */
public final class ConcatTime implements TimeEmbedding {
    @Override
    public int dim() {
        return 1;
    }

    @Override
    public Var embed(Var t) {
        TimeEmbedding.requireTimeVector(t);
        return t.reshape(-1, 1);
    }
}
