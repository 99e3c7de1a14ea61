package org.flowmatch4j.path;

import java.util.Arrays;

import org.flowmatch4j.tensor.Shapes;
import org.flowmatch4j.tensor.Tensor;

/**
 * One batch drawn from a conditional probability path: times {@code t} [B], source points {@code x0} [B, d],
 * data points {@code x1} [B, d], the path points {@code x_t} [B, d] and the regression target {@code u_t}
 * [B, d] (the conditional velocity, or a noisy version of it). The tensors are immutable by convention:
 * nothing in the library writes into them after construction.
 *
 * @param t  times in [0, 1], shape [B]
 * @param x0 source (noise) points, shape [B, ...]
 * @param x1 data points, same shape and type as x0
 * @param xt points on the path at time t, same shape and type as x0
 * @param ut conditional velocity target at (t, x_t), same shape and type as x0
 */
public record PathSample(Tensor t, Tensor x0, Tensor x1, Tensor xt, Tensor ut) {
    /** Checks that all four states share one [B, ...] shape and type and that t is [B]. */
    public PathSample {
        if (t == null || x0 == null || x1 == null || xt == null || ut == null) {
            throw new IllegalArgumentException("PathSample: no component may be null");
        }
        if (x0.rank() < 2) {
            throw new IllegalArgumentException("PathSample: x0 must be [B, d] (rank >= 2), got shape " + Shapes.str(x0.shape()));
        }
        requireLike("x1", x1, x0);
        requireLike("xt", xt, x0);
        requireLike("ut", ut, x0);
        if (t.rank() != 1 || t.size(0) != x0.size(0)) {
            throw new IllegalArgumentException("PathSample: t shape " + Shapes.str(t.shape()) + " does not match batch "
                    + x0.size(0) + " of x0 shape " + Shapes.str(x0.shape()));
        }
    }

    private static void requireLike(String name, Tensor x, Tensor x0) {
        if (!Arrays.equals(x.shape(), x0.shape()) || x.dtype() != x0.dtype()) {
            throw new IllegalArgumentException("PathSample: " + name + " (" + x.dtype().label() + " " + Shapes.str(x.shape())
                    + ") differs from x0 (" + x0.dtype().label() + " " + Shapes.str(x0.shape()) + ")");
        }
    }

    /** The batch size B. */
    public int batchSize() {
        return x0.size(0);
    }
}
