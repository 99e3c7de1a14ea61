package org.flowmatch4j.cnf;

import java.util.List;

import org.flowmatch4j.autodiff.Autograd;
import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.nn.Linear;
import org.flowmatch4j.nn.TimeConditionedNet;
import org.flowmatch4j.nn.TimeMlp;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * The right-hand side of the CNF's augmented ODE, evaluated on the autodiff tape so that a solve can be
 * differentiated with respect to the network's parameters: for a batch {@code z} ({@code [B, d]}) at time t it
 * returns the velocity {@code v(t, z)} and the divergence {@code div v(t, z) = tr(∂v/∂z)} per row ({@code [B]}).
 *
 * <p>The divergence is exact, {@code Σ_i ∂v_i/∂z_i}, or Hutchinson's {@code (1/K) Σ_k ε_kᵀ(∂v/∂z)ε_k} with K
 * Rademacher or Gaussian probes drawn once at construction and kept fixed for the whole solve (a new draw at
 * every evaluation would make the dynamics random and an adaptive solver's step count explode). Two ways to get
 * the Jacobian products, both recorded on the tape:
 * <ul>
 *   <li>{@link Mode#VJP}: for any {@link TimeConditionedNet}, one vector–Jacobian product per direction with
 *       {@code createGraph} ({@code e_iᵀ∂v/∂z} for the exact divergence, {@code ε_kᵀ∂v/∂z} for Hutchinson),
 *       so the divergence is itself a differentiable function of the parameters (second-order tape).</li>
 *   <li>{@link Mode#FORWARD}: for a {@link TimeMlp}, the Jacobian–vector products {@code (∂v/∂z)·u} are
 *       propagated forward alongside the activations, {@code u̇_{l} = σ'(a_l) ⊙ (u̇_{l−1} W_lᵀ)} from
 *       {@code u̇_0 = u W_{0,x}ᵀ}, one {@code [B, H]} tangent per direction, and the
 *       divergence is {@code Σ_k u_k · (∂v/∂z)u_k}. Only first-order differentiation is then needed to train,
 *       and no backward sweep runs during the forward solve; it is the faster of the two.</li>
 * </ul>
 * Both give the same numbers up to rounding (tested).
 */
public final class CnfDynamics {
    /** How the Jacobian products of the divergence are formed. */
    public enum Mode {
        /** Reverse mode: vector–Jacobian products recorded with {@code createGraph} (any network). */
        VJP,
        /** Forward mode: Jacobian–vector products propagated through a {@link TimeMlp} (MLP networks only). */
        FORWARD
    }

    /** The augmented derivative at one state: velocity {@code [B, d]} and divergence {@code [B]}. */
    public record Derivative(Var velocity, Var divergence) {
    }

    private final TimeConditionedNet net;
    private final DivergenceMethod method;
    private final Mode mode;
    private final int batch;
    private final int d;
    private final DType dtype;
    /** The K directions, each {@code [B, d]}: unit vectors for the exact divergence, else the probes. */
    private final Tensor[] directions;
    /** The directions as tape constants. */
    private final Var[] directionVars;
    private long evaluations;

    /**
     * @param batch  the number of rows every evaluation gets
     * @param probes K, the number of Hutchinson probes (ignored for the exact divergence)
     * @param rng    draws the probes (unused, and may be null, for the exact divergence)
     */
    public CnfDynamics(TimeConditionedNet net, int batch, DivergenceMethod method, int probes, Mode mode, Rng rng) {
        if (batch < 1) {
            throw new IllegalArgumentException("CnfDynamics: batch must be >= 1, got " + batch);
        }
        if (method != DivergenceMethod.EXACT && probes < 1) {
            throw new IllegalArgumentException("CnfDynamics: Hutchinson needs >= 1 probe, got " + probes);
        }
        if (mode == Mode.FORWARD && !(net instanceof TimeMlp)) {
            throw new IllegalArgumentException("CnfDynamics: forward-mode divergences need a TimeMlp, got "
                    + net.getClass().getSimpleName() + "; use Mode.VJP");
        }
        this.net = net;
        this.method = method;
        this.mode = mode;
        this.batch = batch;
        this.d = net.dim();
        this.dtype = net.module().dtype();
        int k = method == DivergenceMethod.EXACT ? d : probes;
        this.directions = new Tensor[k];
        for (int j = 0; j < k; j++) {
            Tensor u = Tensor.zeros(dtype, batch, d);
            for (int r = 0; r < batch; r++) {
                for (int i = 0; i < d; i++) {
                    double e;
                    if (method == DivergenceMethod.EXACT) {
                        e = i == j ? 1.0 : 0.0;
                    } else if (method == DivergenceMethod.HUTCHINSON_RADEMACHER) {
                        e = rng.nextRademacher();
                    } else {
                        e = rng.nextGaussian();
                    }
                    u.setDouble(r * d + i, e);
                }
            }
            directions[j] = u;
        }
        this.directionVars = new Var[k];
        for (int j = 0; j < k; j++) {
            directionVars[j] = Var.constant(directions[j]);
        }
    }

    /** The network. */
    public TimeConditionedNet net() {
        return net;
    }

    /** Rows per evaluation. */
    public int batch() {
        return batch;
    }

    /** The data dimension d. */
    public int dim() {
        return d;
    }

    /** Evaluations so far (NFE). */
    public long evaluations() {
        return evaluations;
    }

    /** The velocity and divergence at {@code (t, z)}, recorded on the tape. */
    public Derivative evaluate(double t, Var z) {
        if (z.shape().length != 2 || z.shape()[0] != batch || z.shape()[1] != d) {
            throw new IllegalArgumentException("CnfDynamics: state shape " + java.util.Arrays.toString(z.shape())
                    + " is not [" + batch + ", " + d + "]");
        }
        evaluations++;
        Var time = Var.constant(Tensor.full(dtype, t, batch));
        return mode == Mode.FORWARD ? forwardMode((TimeMlp) net, time, z) : reverseMode(time, z);
    }

    private Derivative reverseMode(Var time, Var z) {
        // the VJPs need a z that is on the tape; at the data end nothing upstream requires a gradient yet
        Var zIn = z.requiresGrad() ? z : Var.param(z.value());
        Var v = net.forward(zIn, time);
        Var div = null;
        for (int j = 0; j < directions.length; j++) {
            Var u = directionVars[j];
            Var row = Autograd.grad(new Var[] {v}, new Var[] {u}, new Var[] {zIn}, true)[0];
            // exact: e_jᵀ(∂v/∂z) is row j of the Jacobian, whose diagonal entry is column j; Hutchinson: uᵀJu
            Var term = method == DivergenceMethod.EXACT ? row.slice(1, j, j + 1).reshape(batch) : row.mul(u).sum(1, false);
            div = div == null ? term : div.add(term);
        }
        if (method != DivergenceMethod.EXACT && directions.length > 1) {
            div = div.mul(1.0 / directions.length);
        }
        return new Derivative(v, div);
    }

    private Derivative forwardMode(TimeMlp mlp, Var time, Var z) {
        List<Linear> layers = mlp.mlp().layers();
        Activation act = mlp.mlp().activation();
        int k = directions.length;
        Var h = Var.concat(1, z, mlp.embedding().embed(time));
        // one [B, width] tangent (∂h/∂z)·u per direction u; kept apart rather than stacked so that every
        // elementwise product has equal shapes (the tape's broadcasting products and their sums are the slow part)
        Var[] tangent = new Var[k];
        int last = layers.size() - 1;
        for (int l = 0; l < last; l++) {
            Linear layer = layers.get(l);
            Var a = h.matmul(layer.weight(), false, true).add(layer.bias());
            Var slope = a.activationDerivative(act);
            for (int j = 0; j < k; j++) {
                Var lin = l == 0 ? directionVars[j].matmul(layer.weight().slice(1, 0, d), false, true)
                        : tangent[j].matmul(layer.weight(), false, true);
                tangent[j] = lin.mul(slope);
            }
            h = a.activation(act);
        }
        Linear out = layers.get(last);
        Var v = h.matmul(out.weight(), false, true).add(out.bias());
        Var div = null;
        for (int j = 0; j < k; j++) {
            Var jvp = tangent[j].matmul(out.weight(), false, true); // (∂v/∂z)·u_j, [B, d]
            Var term = method == DivergenceMethod.EXACT ? jvp.slice(1, j, j + 1).reshape(batch) : jvp.mul(directionVars[j]).sum(1, false);
            div = div == null ? term : div.add(term);
        }
        if (method != DivergenceMethod.EXACT && k > 1) {
            div = div.mul(1.0 / k);
        }
        return new Derivative(v, div);
    }
}
