package org.flowmatch4j.nf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.flowmatch4j.autodiff.GradMode;
import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.nn.Module;
import org.flowmatch4j.nn.ModuleList;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * A RealNVP normalizing flow {@code G: z → x} with a standard normal base {@code z ~ N(0, I_d)}: a stack of
 * {@link FlowStep}s {@code T_0, …, T_{L−1}} (affine couplings, each optionally preceded by an {@link ActNorm}),
 * indexed in the normalizing direction: {@code G⁻¹ = T_{L−1} ∘ … ∘ T_0}, {@code G = T_0⁻¹ ∘ … ∘ T_{L−1}⁻¹}.
 * The change of variables gives the exact density
 * <pre>
 *   log p(x) = log N(G⁻¹(x); 0, I) + log|det ∂G⁻¹/∂x| = −½|z|² − (d/2)·log 2π + Σ_l log|det ∂T_l|,
 * </pre>
 * and a sample {@code x = G(z)} has {@code log p(x) = log N(z; 0, I) − log|det ∂G/∂z|}, so sampling and
 * scoring each take one pass. Parameters are named {@code layers.<l>.net.layers.<i>.weight} (couplings) and
 * {@code layers.<l>.log_scale}/{@code bias} (ActNorm).
 */
public final class RealNvp extends Module {
    /** {@code (d/2)·log 2π} per dimension. */
    static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final int CHUNK = 4096;

    private final RealNvpArchitecture arch;
    private final List<FlowStep> steps;

    /** A fresh flow (identity couplings, uninitialised ActNorms) with conditioner weights drawn from {@code rng}. */
    public RealNvp(RealNvpArchitecture arch, DType dtype, Rng rng) {
        this.arch = arch;
        ModuleList layers = registerModule("layers", new ModuleList());
        List<FlowStep> st = new ArrayList<>();
        for (int k = 0; k < arch.couplings(); k++) {
            if (arch.actNorm()) {
                st.add(layers.add(new ActNorm(arch.dim(), dtype)));
            }
            st.add(layers.add(new AffineCoupling(RealNvpArchitecture.mask(arch.dim(), k), arch.hidden(), arch.conditionerLayers(),
                    arch.activation(), arch.scaleClamp(), dtype, rng)));
        }
        this.steps = Collections.unmodifiableList(st);
    }

    /** The architecture. */
    public RealNvpArchitecture architecture() {
        return arch;
    }

    /** Data dimension. */
    public int dim() {
        return arch.dim();
    }

    /** The steps in normalizing order. */
    public List<FlowStep> steps() {
        return steps;
    }

    /** {@code z = G⁻¹(x)} and {@code log|det ∂G⁻¹/∂x|} per row. */
    public FlowStep.Mapped inverse(Var x) {
        Var h = x;
        Var logDet = null;
        for (FlowStep s : steps) {
            FlowStep.Mapped m = s.normalize(h);
            h = m.value();
            logDet = logDet == null ? m.logDet() : logDet.add(m.logDet());
        }
        return new FlowStep.Mapped(h, logDet);
    }

    /** {@code x = G(z)} and {@code log|det ∂G/∂z|} per row. */
    public FlowStep.Mapped forward(Var z) {
        Var h = z;
        Var logDet = null;
        for (int l = steps.size() - 1; l >= 0; l--) {
            FlowStep.Mapped m = steps.get(l).generate(h);
            h = m.value();
            logDet = logDet == null ? m.logDet() : logDet.add(m.logDet());
        }
        return new FlowStep.Mapped(h, logDet);
    }

    /** {@code log N(z; 0, I)} per row of {@code z [batch, d]}. */
    static Var standardNormalLogDensity(Var z) {
        return z.square().sum(1, false).mul(-0.5).add(-z.shape()[1] * HALF_LOG_2PI);
    }

    /** {@code log p(x)} per row, differentiable with respect to the parameters and x. */
    public Var logProb(Var x) {
        FlowStep.Mapped m = inverse(x);
        return standardNormalLogDensity(m.value()).add(m.logDet());
    }

    /** The training loss: mean negative log-likelihood {@code −(1/B)·Σ log p(x_i)} (nats). */
    public Var nll(Var x) {
        return logProb(x).mean().neg();
    }

    /**
     * Runs the ActNorm data initialisation on {@code x} ({@code [rows, d]} float32): each ActNorm not yet
     * initialised is set from what reaches it, in order, so the whole stack sees standardised activations.
     */
    public void initializeActNorms(float[] x, int rows) {
        try (GradMode.Scope g = GradMode.disabled()) {
            Var h = Var.constant(Tensor.of(x.clone(), rows, dim()).to(dtype()));
            for (FlowStep s : steps) {
                if (s instanceof ActNorm a && !a.isInitialized()) {
                    a.initializeFrom(h.value().to(DType.FLOAT64).doubleData(), rows);
                }
                h = s.normalize(h).value();
            }
        }
    }

    /** Log-densities (nats) of the rows of {@code x} ({@code [n, d]}, float32), in chunks, without a tape. */
    public double[] logProb(float[] x, int n) {
        int d = dim();
        if (x.length != (long) n * d) {
            throw new IllegalArgumentException("logProb: " + x.length + " values are not [" + n + ", " + d + "]");
        }
        double[] out = new double[n];
        try (GradMode.Scope g = GradMode.disabled()) {
            for (int r0 = 0; r0 < n; r0 += CHUNK) {
                int rows = Math.min(CHUNK, n - r0);
                float[] part = java.util.Arrays.copyOfRange(x, r0 * d, (r0 + rows) * d);
                Tensor lp = logProb(Var.constant(Tensor.of(part, rows, d).to(dtype()))).value();
                for (int i = 0; i < rows; i++) {
                    out[r0 + i] = lp.getDouble(i);
                }
            }
        }
        return out;
    }

    /**
     * Draws {@code n} samples {@code x = G(z)}, {@code z ~ N(0, I)} from {@code rng}, with their log-densities.
     */
    public Sampled sample(int n, Rng rng) {
        int d = dim();
        float[] x = new float[n * d];
        double[] logp = new double[n];
        try (GradMode.Scope g = GradMode.disabled()) {
            for (int r0 = 0; r0 < n; r0 += CHUNK) {
                int rows = Math.min(CHUNK, n - r0);
                float[] z = new float[rows * d];
                rng.fillNormal(z, 0, z.length);
                Var zv = Var.constant(Tensor.of(z, rows, d).to(dtype()));
                FlowStep.Mapped m = forward(zv);
                Tensor base = standardNormalLogDensity(zv).value();
                float[] xs = m.value().value().to(DType.FLOAT32).floatData();
                System.arraycopy(xs, 0, x, r0 * d, rows * d);
                for (int i = 0; i < rows; i++) {
                    logp[r0 + i] = base.getDouble(i) - m.logDet().value().getDouble(i);
                }
            }
        }
        return new Sampled(x, n, logp);
    }

    /**
     * Samples of a flow.
     *
     * @param values  {@code [rows, d]} row-major
     * @param rows    number of samples
     * @param logProb {@code log p(x)} of each sample, nats
     */
    public record Sampled(float[] values, int rows, double[] logProb) {
    }
}
