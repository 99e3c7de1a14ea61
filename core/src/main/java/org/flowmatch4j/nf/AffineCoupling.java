package org.flowmatch4j.nf;

import java.util.List;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.nn.Linear;
import org.flowmatch4j.nn.Mlp;
import org.flowmatch4j.nn.Module;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * A RealNVP affine coupling layer (Dinh et al. 2017). The coordinates are split by a mask into a
 * conditioning part {@code a} and a transformed part {@code b}; in the normalizing direction
 * <pre>
 *   y_a = h_a,   y_b = h_b ⊙ exp(s) + t,   (ŝ, t) = net(h_a),   s = c·tanh(ŝ / c),
 *   log|det ∂y/∂h| = Σ_b s
 * </pre>
 * and the inverse is {@code h_b = (y_b − t) ⊙ exp(−s)} with the same {@code (s, t)} computed from
 * {@code y_a = h_a}. The soft clamp {@code c·tanh(ŝ/c)} keeps every log-scale in (−c, c) (c = 1 is the plain
 * tanh of the RealNVP paper); it is the identity near 0 and stops a single layer from scaling by more than
 * e^c, which is what keeps early maximum-likelihood training from diverging.
 *
 * <p>The conditioner is an {@link Mlp} {@code |a| → H → … → 2|b|} (parameters {@code net.layers.i.*}); its
 * output layer starts at zero so a fresh coupling is the identity (as in Glow), and the flow starts as the
 * base Gaussian.
 */
public final class AffineCoupling extends Module implements FlowStep {
    private final int dim;
    private final int[] condIdx;
    private final int[] transIdx;
    private final double clamp;
    private final Mlp net;
    private final Var selectA;
    private final Var selectB;

    /**
     * @param transformed which coordinates are transformed ({@code true}) or condition the transform; both
     *                    parts must be non-empty
     * @param clamp       the soft clamp c &gt; 0 of the log-scale
     */
    public AffineCoupling(boolean[] transformed, int hidden, int hiddenLayers, Activation activation, double clamp,
                          DType dtype, Rng rng) {
        this.dim = transformed.length;
        int kb = 0;
        for (boolean t : transformed) {
            kb += t ? 1 : 0;
        }
        if (kb == 0 || kb == dim) {
            throw new IllegalArgumentException("AffineCoupling: the mask must transform some but not all of the " + dim
                    + " coordinates");
        }
        if (!(clamp > 0) || !Double.isFinite(clamp)) {
            throw new IllegalArgumentException("AffineCoupling: scale clamp must be a positive number, got " + clamp);
        }
        this.clamp = clamp;
        condIdx = new int[dim - kb];
        transIdx = new int[kb];
        for (int j = 0, ia = 0, ib = 0; j < dim; j++) {
            if (transformed[j]) {
                transIdx[ib++] = j;
            } else {
                condIdx[ia++] = j;
            }
        }
        this.net = registerModule("net", new Mlp(condIdx.length, hidden, 2 * kb, hiddenLayers, activation, dtype, rng));
        Linear last = net.layers().get(net.layers().size() - 1);
        last.weight().value().fillInPlace(0);
        last.bias().value().fillInPlace(0);
        selectA = Var.constant(selection(dtype, dim, condIdx));
        selectB = Var.constant(selection(dtype, dim, transIdx));
    }

    /** The 0/1 matrix {@code [dim, idx.length]} with {@code h·P = h[:, idx]} (exact: one non-zero per column). */
    private static Tensor selection(DType dtype, int dim, int[] idx) {
        Tensor p = Tensor.zeros(dtype, dim, idx.length);
        for (int k = 0; k < idx.length; k++) {
            p.setDouble(idx[k] * idx.length + k, 1.0);
        }
        return p;
    }

    /** Coordinates that condition the transform (left unchanged). */
    public int[] conditioningIndices() {
        return condIdx.clone();
    }

    /** Coordinates that are scaled and shifted. */
    public int[] transformedIndices() {
        return transIdx.clone();
    }

    /** The soft clamp c of the log-scale. */
    public double clamp() {
        return clamp;
    }

    /** The conditioner network {@code h_a ↦ (ŝ, t)}. */
    public Mlp net() {
        return net;
    }

    /** Data dimension. */
    public int dim() {
        return dim;
    }

    /** {@code (s, t)} for the conditioning part {@code ha [batch, |a|]}. */
    private Var[] scaleShift(Var ha) {
        int kb = transIdx.length;
        Var out = net.forward(ha);
        Var s = out.slice(1, 0, kb).mul(1.0 / clamp).tanh().mul(clamp);
        return new Var[] {s, out.slice(1, kb, 2 * kb)};
    }

    @Override
    public Mapped normalize(Var h) {
        Var ha = h.matmul(selectA);
        Var[] st = scaleShift(ha);
        Var yb = h.matmul(selectB).mul(st[0].exp()).add(st[1]);
        Var y = ha.matmul(selectA, false, true).add(yb.matmul(selectB, false, true));
        return new Mapped(y, st[0].sum(1, false));
    }

    @Override
    public Mapped generate(Var y) {
        Var ya = y.matmul(selectA);
        Var[] st = scaleShift(ya);
        Var hb = y.matmul(selectB).sub(st[1]).mul(st[0].neg().exp());
        Var h = ya.matmul(selectA, false, true).add(hb.matmul(selectB, false, true));
        return new Mapped(h, st[0].sum(1, false).neg());
    }

    /** The Linear layers of the conditioner, in order. */
    List<Linear> conditionerLayers() {
        return net.layers();
    }
}
