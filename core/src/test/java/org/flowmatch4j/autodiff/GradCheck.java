package org.flowmatch4j.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * Finite-difference gradient checker for tests: compares {@link Autograd#grad} of a scalar function of
 * several float64 inputs against central differences {@code (f(x + h·e) − f(x − h·e)) / 2h}.
 *
 * <p>The function receives fresh {@link Var#param} leaves on every evaluation, so it may itself call
 * {@code Autograd.grad(..., createGraph = true)}: that is how second-order gradients are checked (the
 * numeric side then differentiates the first gradient by finite differences).
 */
public final class GradCheck {
    /** A scalar function of several Vars. */
    @FunctionalInterface
    public interface Fn {
        Var apply(Var... xs);
    }

    public static final double H = 1e-6;
    public static final double RTOL = 1e-6;
    public static final double ATOL = 1e-8;

    private GradCheck() {
    }

    /** Checks every element of every input with the default step and tolerances. */
    public static void check(String label, Fn f, Tensor... inputs) {
        check(label, f, H, RTOL, ATOL, inputs);
    }

    /** Checks every element of every input. */
    public static void check(String label, Fn f, double h, double rtol, double atol, Tensor... inputs) {
        for (Tensor t : inputs) {
            assertThat(t.dtype()).as("%s: gradient checks run in float64", label).isEqualTo(DType.FLOAT64);
        }
        Var[] xs = params(inputs);
        Var y = f.apply(xs);
        assertThat(y.value().numel()).as("%s: function must be scalar", label).isEqualTo(1);
        Var[] analytic = Autograd.grad(y, xs);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            assertThat(analytic[i].shape()).as("%s: gradient shape of input %d", label, i).isEqualTo(inputs[i].shape());
            Tensor num = numericGradient(f, inputs, i, h);
            for (int j = 0; j < num.numel(); j++) {
                double a = analytic[i].value().getDouble(j);
                double n = num.getDouble(j);
                if (!(Math.abs(a - n) <= atol + rtol * Math.max(Math.abs(a), Math.abs(n)))) {
                    failures.add(String.format("input %d element %d: autodiff %.12g vs numeric %.12g", i, j, a, n));
                }
            }
        }
        assertThat(failures).as("%s: gradient mismatches", label).isEmpty();
    }

    /** Central-difference gradient of {@code f} with respect to input {@code which}. */
    public static Tensor numericGradient(Fn f, Tensor[] inputs, int which, double h) {
        Tensor x = inputs[which];
        Tensor out = Tensor.zeros(DType.FLOAT64, x.shape());
        for (int j = 0; j < x.numel(); j++) {
            double x0 = x.getDouble(j);
            Tensor[] plus = copies(inputs);
            plus[which].setDouble(j, x0 + h);
            Tensor[] minus = copies(inputs);
            minus[which].setDouble(j, x0 - h);
            double fp = f.apply(params(plus)).item();
            double fm = f.apply(params(minus)).item();
            out.setDouble(j, (fp - fm) / (2 * h));
        }
        return out;
    }

    /**
     * The Jacobian {@code J[i][j] = ∂f(x)_i/∂x_j} of a vector function by central differences, as a
     * [numel(f(x)), numel(x)] tensor.
     */
    public static Tensor numericJacobian(java.util.function.UnaryOperator<Var> f, Tensor x, double h) {
        int n = x.numel();
        int m = f.apply(Var.constant(x)).value().numel();
        Tensor jac = Tensor.zeros(DType.FLOAT64, m, n);
        for (int j = 0; j < n; j++) {
            Tensor xp = x.copy();
            xp.setDouble(j, x.getDouble(j) + h);
            Tensor xm = x.copy();
            xm.setDouble(j, x.getDouble(j) - h);
            Tensor fp = f.apply(Var.constant(xp)).value();
            Tensor fm = f.apply(Var.constant(xm)).value();
            for (int i = 0; i < m; i++) {
                jac.setDouble(i * n + j, (fp.getDouble(i) - fm.getDouble(i)) / (2 * h));
            }
        }
        return jac;
    }

    /** A fixed pseudo-random weighting {@code Σ w ⊙ y} that turns a tensor output into a scalar (w depends on the shape only). */
    public static Var weightedSum(Var y) {
        long seed = 17;
        for (int s : y.shape()) {
            seed = seed * 31 + s;
        }
        Tensor w = new Rng(seed).uniform(y.dtype(), -1.5, 1.5, y.shape());
        return y.mul(Var.constant(w)).sum();
    }

    /** Standard normal float64 values. */
    public static Tensor randn(Rng rng, int... shape) {
        return rng.normal(DType.FLOAT64, shape);
    }

    /** Uniform float64 values on [lo, hi). */
    public static Tensor uniform(Rng rng, double lo, double hi, int... shape) {
        return rng.uniform(DType.FLOAT64, lo, hi, shape);
    }

    /** Normal values pushed at least {@code gap} away from zero (for kinks at 0). */
    public static Tensor awayFromZero(Rng rng, double gap, int... shape) {
        return rng.normal(DType.FLOAT64, shape).map(v -> v >= 0 ? v + gap : v - gap);
    }

    private static Var[] params(Tensor[] ts) {
        Var[] vs = new Var[ts.length];
        for (int i = 0; i < ts.length; i++) {
            vs[i] = Var.param(ts[i]);
        }
        return vs;
    }

    private static Tensor[] copies(Tensor[] ts) {
        Tensor[] out = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            out[i] = ts[i].copy();
        }
        return out;
    }
}
