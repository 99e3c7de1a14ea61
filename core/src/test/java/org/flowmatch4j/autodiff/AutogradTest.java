package org.flowmatch4j.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flowmatch4j.autodiff.GradCheck.randn;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** VJP, JVP and Jacobians against finite-difference Jacobians, and the behaviours of the tape. */
class AutogradTest {
    private static final double H = 1e-6;
    private final Rng rng = new Rng(5150);

    private static void assertClose(String what, Tensor actual, Tensor expected, double rtol, double atol) {
        assertThat(actual.shape()).as("%s shape", what).isEqualTo(expected.shape());
        for (int i = 0; i < expected.numel(); i++) {
            double a = actual.getDouble(i);
            double e = expected.getDouble(i);
            assertThat(Math.abs(a - e)).as("%s element %d: %s vs %s", what, i, a, e)
                    .isLessThanOrEqualTo(atol + rtol * Math.max(Math.abs(a), Math.abs(e)));
        }
    }

    /** y = J·x for J [m, n] and a vector shaped like the input. */
    private static Tensor jacTimes(Tensor jac, Tensor v) {
        return jac.matmul(v.reshape(-1, 1)).reshape(-1);
    }

    private static Tensor vecTimesJac(Tensor v, Tensor jac) {
        return v.reshape(1, -1).matmul(jac).reshape(-1);
    }

    private void checkVjpJvpJacobian(String name, UnaryOperator<Var> f, Tensor x) {
        Tensor numJac = GradCheck.numericJacobian(f, x, H);
        Tensor jac = Autograd.jacobian(f, x);
        assertClose(name + " jacobian", jac, numJac, 1e-6, 1e-8);

        Var in = Var.param(x);
        Var y = f.apply(in);
        Tensor u = randn(rng, y.shape());
        Tensor v = randn(rng, x.shape());
        Var vjp = Autograd.vjp(y, Var.constant(u), in, false);
        assertClose(name + " vjp", vjp.value().reshape(-1), vecTimesJac(u.reshape(-1), numJac), 1e-6, 1e-8);
        Var jvp = Autograd.jvp(y, in, Var.constant(v), false);
        assertThat(jvp.shape()).isEqualTo(y.shape());
        assertClose(name + " jvp", jvp.value().reshape(-1), jacTimes(numJac, v.reshape(-1)), 1e-6, 1e-8);
    }

    @Test
    void vjpJvpAndJacobianMatchFiniteDifferences() {
        Tensor w = randn(rng, 3, 3);
        Tensor b = randn(rng, 3);
        checkVjpJvpJacobian("tanh(x@W+b)*x", x -> x.matmul(Var.constant(w)).add(Var.constant(b)).tanh().mul(x), randn(rng, 4, 3));
        checkVjpJvpJacobian("softplus(x).sum(1)", x -> x.softplus().sum(1, false), randn(rng, 4, 3));
        Tensor w2 = randn(rng, 3, 5);
        checkVjpJvpJacobian("silu(x@W2) @ W2^T (non-square)",
                x -> x.matmul(Var.constant(w2)).silu().matmul(Var.constant(w2), false, true).slice(1, 0, 2), randn(rng, 2, 3));
        checkVjpJvpJacobian("logSumExp rows and exp", x -> Var.concat(1, x.logSumExp(1, true), x.exp()), randn(rng, 3, 2));
        checkVjpJvpJacobian("rank-0 output x.sum()^2", x -> x.sum().square(), randn(rng, 2, 2));
    }

    @Test
    void jvpOfInputItselfIsTheTangentAndJvpOfConstantOutputIsZero() {
        Var x = Var.param(randn(rng, 2, 3));
        Tensor v = randn(rng, 2, 3);
        assertClose("jvp identity", Autograd.jvp(x.mul(1.0), x, Var.constant(v), false).value(), v, 0, 1e-15);
        Var other = Var.param(randn(rng, 2, 3));
        Var zero = Autograd.jvp(other.exp(), x, Var.constant(v), false);
        assertThat(zero.value().toDoubleArray()).containsOnly(0.0);
        assertThatThrownBy(() -> Autograd.jvp(x.exp(), x, Var.constant(randn(rng, 3, 2)), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jvp");
    }

    /**
     * A Hutchinson-divergence-like scalar {@code ε·(∂f/∂x ε)} with f = tanh(x@W + b)⊙x, computed with a
     * recorded JVP and differentiated w.r.t. W and b, against finite differences on W and b.
     */
    @Test
    void jvpWithCreateGraphDifferentiatesWithRespectToParameters() {
        Tensor x = randn(rng, 4, 3);
        Tensor eps = rng.rademacher(DType.FLOAT64, 4, 3);
        GradCheck.check("hutchinson", p -> {
            Var xv = Var.param(x);
            Var y = xv.matmul(p[0]).add(p[1]).tanh().mul(xv);
            Var jv = Autograd.jvp(y, xv, Var.constant(eps), true);
            return jv.mul(Var.constant(eps)).sum();
        }, randn(rng, 3, 3), randn(rng, 3));
        // the same through vjp: ε·(εᵀ ∂f/∂x) is the same number
        Var xv = Var.param(x);
        Var w = Var.param(randn(rng, 3, 3));
        Var y = xv.matmul(w).sin().mul(xv);
        double viaJvp = Autograd.jvp(y, xv, Var.constant(eps), false).value().mul(eps).sum().item();
        double viaVjp = Autograd.vjp(y, Var.constant(eps), xv, false).value().mul(eps).sum().item();
        assertThat(viaJvp).isCloseTo(viaVjp, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void backwardAccumulatesIntoLeafGradientsAcrossCalls() {
        Tensor xv = randn(rng, 3);
        Var x = Var.param(xv);
        Var c = Var.constant(randn(rng, 3));
        x.mul(c).sum().backward();
        Tensor first = x.grad().copy();
        assertClose("first backward", first, c.value(), 0, 1e-15);
        x.square().sum().backward();
        assertClose("accumulated", x.grad(), c.value().add(xv.mul(2)), 1e-15, 1e-15);
        x.zeroGrad();
        assertThat(x.grad().toDoubleArray()).containsOnly(0.0);
        assertThat(c.grad()).as("constants collect no gradient").isNull();
    }

    @Test
    void backwardLeavesIntermediateValuesWithoutGradients() {
        Var x = Var.param(randn(rng, 3));
        Var h = x.exp();
        h.sum().backward();
        assertThat(h.grad()).isNull();
        assertClose("d sum exp", x.grad(), x.value().exp(), 1e-15, 0);
    }

    @Test
    void gradOfUnusedInputIsZerosOfItsShape() {
        Var x = Var.param(randn(rng, 2, 3));
        Var unused = Var.param(randn(rng, 4));
        Var[] g = Autograd.grad(x.square().sum(), x, unused);
        assertThat(g[1].shape()).isEqualTo(new int[] {4});
        assertThat(g[1].value().toDoubleArray()).containsOnly(0.0);
        assertThat(g[1].dtype()).isEqualTo(DType.FLOAT64);
        assertClose("used", g[0].value(), x.value().mul(2), 1e-15, 0);
    }

    @Test
    void gradWithRespectToAnIntermediateValue() {
        Var x = Var.param(randn(rng, 3));
        Var h = x.exp();
        Var y = h.square().sum();
        Var[] g = Autograd.grad(y, h, x);
        assertClose("dy/dh", g[0].value(), h.value().mul(2), 1e-15, 0);
        assertClose("dy/dx", g[1].value(), h.value().square().mul(2), 1e-14, 0);
    }

    @Test
    void gradModeDisabledRecordsNothingAndRestores() {
        Var x = Var.param(randn(rng, 3));
        assertThat(GradMode.isEnabled()).isTrue();
        Var y;
        try (GradMode.Scope s = GradMode.disabled()) {
            assertThat(GradMode.isEnabled()).isFalse();
            y = x.exp().mul(x).sum();
            try (GradMode.Scope inner = GradMode.enabled()) {
                assertThat(x.exp().requiresGrad()).isTrue();
            }
            assertThat(GradMode.isEnabled()).isFalse();
        }
        assertThat(GradMode.isEnabled()).isTrue();
        assertThat(y.requiresGrad()).isFalse();
        assertThat(y.isLeaf()).isTrue();
        assertThatThrownBy(y::backward).isInstanceOf(IllegalStateException.class);
        assertThat(x.exp().requiresGrad()).isTrue();
    }

    @Test
    void firstOrderGradIsNotRecordedButCreateGraphIs() {
        Var x = Var.param(randn(rng, 3));
        Var y = x.sin().sum();
        assertThat(Autograd.grad(new Var[] {y}, null, new Var[] {x}, false)[0].requiresGrad()).isFalse();
        assertThat(Autograd.grad(new Var[] {y}, null, new Var[] {x}, true)[0].requiresGrad()).isTrue();
    }

    @Test
    void nonScalarOutputNeedsAGradOutput() {
        Var x = Var.param(randn(rng, 2, 3));
        Var y = x.exp();
        assertThatThrownBy(() -> Autograd.grad(y, x)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> Autograd.backward(y)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Autograd.grad(new Var[] {y}, new Var[] {Var.constant(randn(rng, 3, 2))}, new Var[] {x}, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gradOutput");
    }

    @Test
    void multipleOutputsSumTheirVjps() {
        Var x = Var.param(randn(rng, 3));
        Var y1 = x.square();
        Var y2 = x.sin();
        Tensor u1 = randn(rng, 3);
        Tensor u2 = randn(rng, 3);
        Var g = Autograd.grad(new Var[] {y1, y2}, new Var[] {Var.constant(u1), Var.constant(u2)}, new Var[] {x}, false)[0];
        Tensor expected = u1.mul(x.value().mul(2)).add(u2.mul(x.value().cos()));
        assertClose("sum of vjps", g.value(), expected, 1e-14, 1e-15);
    }

    /** 20 000 chained ops, run on a thread with a small (256 KiB) stack so that recursion would overflow. */
    @Test
    void deepChainDoesNotOverflowTheStack() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<double[]> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                Var x = Var.param(Tensor.of(new double[] {0.5, -0.25}, 2));
                Var h = x;
                for (int i = 0; i < 20_000; i++) {
                    h = h.mul(1.0001).add(1e-5);
                }
                Var y = h.sum();
                Var g1 = Autograd.grad(y, x)[0];
                y.backward();
                // second order through the whole chain: d/dx Σ (∂y/∂x · x) = ∂y/∂x (y is linear in x)
                Var g = Autograd.grad(new Var[] {y}, null, new Var[] {x}, true)[0];
                Var g2 = Autograd.grad(g.mul(x).sum(), x)[0];
                result.set(new double[] {g1.value().getDouble(0), x.grad().getDouble(1), g2.value().getDouble(0)});
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "deep-chain", 256 * 1024);
        t.start();
        t.join();
        assertThat(failure.get()).isNull();
        double expected = Math.pow(1.0001, 20_000);
        assertThat(result.get()[0]).isCloseTo(expected, org.assertj.core.api.Assertions.withinPercentage(1e-9));
        assertThat(result.get()[1]).isCloseTo(expected, org.assertj.core.api.Assertions.withinPercentage(1e-9));
        assertThat(result.get()[2]).isCloseTo(expected, org.assertj.core.api.Assertions.withinPercentage(1e-9));
    }

    @Test
    void powZeroHasZeroGradientEvenAtZero() {
        Var x = Var.param(Tensor.of(new double[] {0.0, 2.0, -1.0}, 3));
        assertThat(Autograd.grad(x.pow(0).sum(), x)[0].value().toDoubleArray()).containsExactly(0, 0, 0);
        assertThat(Autograd.grad(x.pow(1).sum(), x)[0].value().toDoubleArray()).containsExactly(1, 1, 1);
        assertThat(Autograd.grad(x.pow(3).sum(), x)[0].value().toDoubleArray()).containsExactly(0, 12, 3);
    }

    @Test
    void logSumExpHandlesInfiniteRows() {
        double inf = Double.POSITIVE_INFINITY;
        Var x = Var.param(Tensor.of(new double[] {-inf, -inf, -inf, 0, -inf, inf, 1, 2}, 4, 2));
        double[] lse = x.logSumExp(1, false).value().toDoubleArray();
        assertThat(lse[0]).isEqualTo(-inf);
        assertThat(lse[1]).isEqualTo(0.0);
        assertThat(lse[2]).isEqualTo(inf);
        assertThat(lse[3]).isCloseTo(2 + Math.log1p(Math.exp(-1)), org.assertj.core.api.Assertions.within(1e-15));
        // the row with one finite entry has a finite gradient: all of it on that entry
        Var g = Autograd.grad(x.logSumExp(1, false).slice(0, 1, 2).sum(), x)[0];
        assertThat(g.value().slice(0, 1, 2).toDoubleArray()).containsExactly(0, 1);
    }

    @Test
    void detachCutsTheGraph() {
        Var x = Var.param(randn(rng, 3));
        Var y = x.square().detach().mul(x).sum();
        assertClose("detached factor", Autograd.grad(y, x)[0].value(), x.value().square(), 1e-15, 0);
    }
}
