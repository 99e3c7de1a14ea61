package org.flowmatch4j.autodiff;

import static org.flowmatch4j.autodiff.GradCheck.awayFromZero;
import static org.flowmatch4j.autodiff.GradCheck.randn;
import static org.flowmatch4j.autodiff.GradCheck.uniform;
import static org.flowmatch4j.autodiff.GradCheck.weightedSum;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Second-order checks: the scalar {@code s = Σ v ⊙ ∂f/∂x} is built with {@code grad(..., createGraph = true)},
 * differentiated again by autodiff, and compared with central differences of the (autodiff) first gradient.
 */
class HigherOrderGradientTest {
    private final Rng rng = new Rng(77);

    /** s(x, W) = Σ v ⊙ ∂f/∂x with f(x, W) = Σ c ⊙ op(x @ W); checked against both x and W. */
    private DynamicTest throughMatmul(String name, UnaryOperator<Var> op, Tensor x, Tensor w) {
        Tensor v = randn(rng, x.shape());
        return DynamicTest.dynamicTest(name, () -> GradCheck.check(name, in -> {
            Var f = weightedSum(op.apply(in[0].matmul(in[1])));
            Var gx = Autograd.grad(new Var[] {f}, null, new Var[] {in[0]}, true)[0];
            return gx.mul(Var.constant(v)).sum();
        }, x, w));
    }

    /** s(x) = Σ v ⊙ ∂f/∂x with f(x) = Σ c ⊙ op(x). */
    private DynamicTest pointwise(String name, UnaryOperator<Var> op, Tensor x) {
        Tensor v = randn(rng, x.shape());
        return DynamicTest.dynamicTest(name, () -> GradCheck.check(name, in -> {
            Var f = weightedSum(op.apply(in[0]));
            Var gx = Autograd.grad(new Var[] {f}, null, new Var[] {in[0]}, true)[0];
            return gx.mul(Var.constant(v)).sum();
        }, x));
    }

    /** s(x, y) = Σ vx ⊙ ∂f/∂x + Σ vy ⊙ ∂f/∂y with f(x, y) = Σ c ⊙ op(x, y). */
    private DynamicTest binary(String name, java.util.function.BinaryOperator<Var> op, Tensor x, Tensor y) {
        Tensor vx = randn(rng, x.shape());
        Tensor vy = randn(rng, y.shape());
        return DynamicTest.dynamicTest(name, () -> GradCheck.check(name, in -> {
            Var f = weightedSum(op.apply(in[0], in[1]));
            Var[] g = Autograd.grad(new Var[] {f}, null, new Var[] {in[0], in[1]}, true);
            return g[0].mul(Var.constant(vx)).sum().add(g[1].mul(Var.constant(vy)).sum());
        }, x, y));
    }

    @TestFactory
    List<DynamicTest> activations() {
        List<DynamicTest> out = new ArrayList<>();
        for (Activation act : Activation.values()) {
            boolean kink = act == Activation.RELU || act == Activation.SELU;
            // the pre-activation x@W must stay away from 0 for the kinked ones: use a pointwise op there
            if (kink) {
                out.add(pointwise("pointwise " + act + " away from 0", v -> v.activation(act).mul(v), awayFromZero(rng, 0.05, 3, 4)));
            } else {
                out.add(throughMatmul("sum(c*" + act + "(x@W)^2)", v -> v.activation(act).square(), randn(rng, 4, 3), randn(rng, 3, 5)));
                out.add(pointwise("pointwise " + act, v -> v.activation(act), randn(rng, 3, 4).mul(2)));
            }
        }
        return out;
    }

    @TestFactory
    List<DynamicTest> otherOps() {
        List<DynamicTest> out = new ArrayList<>();
        out.add(throughMatmul("matmul tanh(x@W)^2 (brief's example)", v -> v.tanh().square(), randn(rng, 4, 3), randn(rng, 3, 2)));
        out.add(throughMatmul("matmul: (x@W)^3", v -> v.pow(3), randn(rng, 4, 3), randn(rng, 3, 2)));
        out.add(binary("matmul x@W^T, both args", (a, b) -> a.matmul(b, false, true).square(), randn(rng, 4, 3), randn(rng, 2, 3)));
        out.add(binary("matmul x^T@W, both args", (a, b) -> a.matmul(b, true, false).sin(), randn(rng, 3, 4), randn(rng, 3, 2)));
        out.add(binary("batched matmul [2,3,4]@[4,2]", (a, b) -> a.matmul(b).square(), randn(rng, 2, 3, 4), randn(rng, 4, 2)));
        out.add(binary("mul x*y*x with broadcasting", (a, b) -> a.mul(b).mul(a), randn(rng, 3, 4), randn(rng, 4)));
        out.add(binary("div x/y", (a, b) -> a.div(b), randn(rng, 3, 4), uniform(rng, 0.5, 2, 3, 4)));
        out.add(binary("div y/x^2 broadcast", (a, b) -> b.div(a.square()), uniform(rng, 0.5, 2, 3, 1), randn(rng, 3, 4)));
        out.add(pointwise("exp", Var::exp, randn(rng, 3, 4)));
        out.add(pointwise("log", Var::log, uniform(rng, 0.5, 3, 3, 4)));
        out.add(pointwise("log1p", Var::log1p, uniform(rng, -0.5, 3, 3, 4)));
        out.add(pointwise("sqrt", Var::sqrt, uniform(rng, 0.5, 3, 3, 4)));
        out.add(pointwise("pow 3", v -> v.pow(3), randn(rng, 3, 4)));
        out.add(pointwise("pow 0.5", v -> v.pow(0.5), uniform(rng, 0.5, 3, 3, 4)));
        out.add(pointwise("pow 2", v -> v.pow(2).mul(v), randn(rng, 3, 4)));
        out.add(pointwise("sin", Var::sin, randn(rng, 3, 4).mul(2)));
        out.add(pointwise("cos", Var::cos, randn(rng, 3, 4).mul(2)));
        out.add(pointwise("abs * x (away from 0)", v -> v.abs().mul(v), awayFromZero(rng, 0.05, 3, 4)));
        out.add(pointwise("logSumExp", v -> v.logSumExp(1, false), randn(rng, 3, 4)));
        out.add(pointwise("max * sum", v -> v.max(0, false).mul(v.sum(0, false)), randn(rng, 3, 4)));
        out.add(pointwise("where(x^2, x^3)", v -> Var.where(Tensor.of(new double[] {1, 0, 0, 1}, 4), v.square(), v.pow(3)), randn(rng, 3, 4)));
        out.add(pointwise("structure: concat/slice/gather/transpose of x^2",
                v -> Var.concat(0, v.square(), v.slice(0, 1, 3).exp()).gatherRows(new int[] {0, 4, 4, 2}).transpose(0, 1).mul(v.sum(0, true).t()),
                randn(rng, 3, 4)));
        out.add(pointwise("mse against x^2", v -> v.mse(v.square().add(v.sin())), randn(rng, 3, 4)));
        return out;
    }
}
