package org.flowmatch4j.nn;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;

/**
 * Pre-activation residual block {@code h + fc2(act(fc1(act(h)) + proj(c)))}, where c is an optional
 * conditioning vector (the time features) projected to the hidden width.
 */
public final class ResidualBlock extends Module {
    private final Linear fc1;
    private final Linear fc2;
    private final Linear proj;
    private final Activation act;

    /** A block of width {@code width}; {@code condDim} 0 means unconditioned. */
    public ResidualBlock(int width, int condDim, Activation act, DType dtype, Rng rng) {
        this.act = act;
        this.fc1 = registerModule("fc1", new Linear(width, width, true, dtype, rng));
        this.fc2 = registerModule("fc2", new Linear(width, width, true, dtype, rng));
        this.proj = condDim > 0 ? registerModule("cond", new Linear(condDim, width, false, dtype, rng)) : null;
    }

    /** Applies the block; {@code cond} may be null when the block is unconditioned. */
    public Var forward(Var h, Var cond) {
        Var z = fc1.forward(h.activation(act));
        if (proj != null) {
            z = z.add(proj.forward(cond));
        }
        return h.add(fc2.forward(z.activation(act)));
    }
}
