package org.flowmatch4j.autodiff;

import static org.flowmatch4j.autodiff.GradCheck.awayFromZero;
import static org.flowmatch4j.autodiff.GradCheck.randn;
import static org.flowmatch4j.autodiff.GradCheck.uniform;
import static org.flowmatch4j.autodiff.GradCheck.weightedSum;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** First-order gradient checks, in float64 against central differences, of every differentiable {@link Var} op. */
class VarGradientTest {
    private final Rng rng = new Rng(20240611L);
    private final List<DynamicTest> cases = new ArrayList<>();

    private void add(String name, GradCheck.Fn f, Supplier<Tensor[]> inputs) {
        cases.add(DynamicTest.dynamicTest(name, () -> GradCheck.check(name, f, inputs.get())));
    }

    private Tensor[] in(Tensor... ts) {
        return ts;
    }

    @TestFactory
    List<DynamicTest> elementwiseArithmeticWithBroadcasting() {
        add("add [3,4]+[4]", x -> weightedSum(x[0].add(x[1])), () -> in(randn(rng, 3, 4), randn(rng, 4)));
        add("add [3,1]+[1,4]", x -> weightedSum(x[0].add(x[1])), () -> in(randn(rng, 3, 1), randn(rng, 1, 4)));
        add("add scalar-shaped []+[3,4]", x -> weightedSum(x[0].add(x[1])), () -> in(randn(rng), randn(rng, 3, 4)));
        add("sub [3,4]-[4]", x -> weightedSum(x[0].sub(x[1])), () -> in(randn(rng, 3, 4), randn(rng, 4)));
        add("sub [4]-[2,3,4]", x -> weightedSum(x[0].sub(x[1])), () -> in(randn(rng, 4), randn(rng, 2, 3, 4)));
        add("mul [3,4]*[4]", x -> weightedSum(x[0].mul(x[1])), () -> in(randn(rng, 3, 4), randn(rng, 4)));
        add("mul [3,1]*[1,4]", x -> weightedSum(x[0].mul(x[1])), () -> in(randn(rng, 3, 1), randn(rng, 1, 4)));
        add("mul [3,4]*[]", x -> weightedSum(x[0].mul(x[1])), () -> in(randn(rng, 3, 4), randn(rng)));
        add("mul same var twice", x -> weightedSum(x[0].mul(x[0])), () -> in(randn(rng, 3, 4)));
        add("div [3,4]/[4]", x -> weightedSum(x[0].div(x[1])), () -> in(randn(rng, 3, 4), uniform(rng, 0.5, 2, 4)));
        add("div [3,1]/[1,4]", x -> weightedSum(x[0].div(x[1])), () -> in(randn(rng, 3, 1), uniform(rng, -2, -0.5, 1, 4)));
        add("div []/[3,4]", x -> weightedSum(x[0].div(x[1])), () -> in(randn(rng), uniform(rng, 0.5, 2, 3, 4)));
        add("add scalar", x -> weightedSum(x[0].add(2.5)), () -> in(randn(rng, 3, 4)));
        add("mul scalar", x -> weightedSum(x[0].mul(-1.75)), () -> in(randn(rng, 3, 4)));
        add("rsub", x -> weightedSum(x[0].rsub(3.0)), () -> in(randn(rng, 3, 4)));
        add("neg", x -> weightedSum(x[0].neg()), () -> in(randn(rng, 3, 4)));
        return cases;
    }

    @TestFactory
    List<DynamicTest> unaryFunctions() {
        add("pow 2", x -> weightedSum(x[0].pow(2)), () -> in(randn(rng, 3, 4)));
        add("pow 3", x -> weightedSum(x[0].pow(3)), () -> in(randn(rng, 3, 4)));
        add("pow 0.5 (positive)", x -> weightedSum(x[0].pow(0.5)), () -> in(uniform(rng, 0.3, 3, 3, 4)));
        add("pow -1.5 (positive)", x -> weightedSum(x[0].pow(-1.5)), () -> in(uniform(rng, 0.5, 3, 3, 4)));
        add("square", x -> weightedSum(x[0].square()), () -> in(randn(rng, 3, 4)));
        add("exp", x -> weightedSum(x[0].exp()), () -> in(randn(rng, 3, 4)));
        add("log", x -> weightedSum(x[0].log()), () -> in(uniform(rng, 0.3, 3, 3, 4)));
        add("log1p", x -> weightedSum(x[0].log1p()), () -> in(uniform(rng, -0.6, 3, 3, 4)));
        add("sqrt", x -> weightedSum(x[0].sqrt()), () -> in(uniform(rng, 0.3, 3, 3, 4)));
        add("abs (away from 0)", x -> weightedSum(x[0].abs()), () -> in(awayFromZero(rng, 0.05, 3, 4)));
        add("sin", x -> weightedSum(x[0].sin()), () -> in(randn(rng, 3, 4).mul(2)));
        add("cos", x -> weightedSum(x[0].cos()), () -> in(randn(rng, 3, 4).mul(2)));
        for (Activation act : Activation.values()) {
            boolean kink = act == Activation.RELU || act == Activation.SELU;
            add("activation " + act, x -> weightedSum(x[0].activation(act)),
                    () -> in(kink ? awayFromZero(rng, 0.05, 3, 5).mul(2) : randn(rng, 3, 5).mul(2.5)));
        }
        add("softplus above its threshold", x -> weightedSum(x[0].softplus()), () -> in(uniform(rng, 21, 30, 2, 3)));
        add("named shortcuts tanh/sigmoid/silu/gelu/softplus",
                x -> weightedSum(x[0].tanh().add(x[0].sigmoid()).add(x[0].silu()).add(x[0].gelu()).add(x[0].softplus())),
                () -> in(randn(rng, 2, 3)));
        add("named shortcuts relu/selu", x -> weightedSum(x[0].relu().add(x[0].selu())), () -> in(awayFromZero(rng, 0.05, 2, 3)));
        return cases;
    }

    @TestFactory
    List<DynamicTest> whereAndBroadcastAdjoints() {
        Tensor cond = Tensor.of(new double[] {1, 0, 1}, 3, 1);
        add("where cond[3,1] a[3,4] b[4]", x -> weightedSum(Var.where(cond, x[0], x[1])), () -> in(randn(rng, 3, 4), randn(rng, 4)));
        Tensor cond2 = rng.uniform(DType.FLOAT64, 0, 1, 3, 4).gt(0.5);
        add("where cond[3,4] a[] b[3,1]", x -> weightedSum(Var.where(cond2, x[0], x[1])), () -> in(randn(rng), randn(rng, 3, 1)));
        add("sumTo [2,3,4]->[3,1]", x -> weightedSum(x[0].sumTo(3, 1)), () -> in(randn(rng, 2, 3, 4)));
        add("sumTo [2,3,4]->[4]", x -> weightedSum(x[0].sumTo(4)), () -> in(randn(rng, 2, 3, 4)));
        add("sumTo [2,3,4]->[]", x -> weightedSum(x[0].sumTo()), () -> in(randn(rng, 2, 3, 4)));
        add("broadcastTo [4]->[3,4]", x -> weightedSum(x[0].broadcastTo(3, 4)), () -> in(randn(rng, 4)));
        add("broadcastTo [3,1]->[2,3,4]", x -> weightedSum(x[0].broadcastTo(2, 3, 4)), () -> in(randn(rng, 3, 1)));
        return cases;
    }

    @TestFactory
    List<DynamicTest> reductions() {
        add("sum()", x -> x[0].sum().square(), () -> in(randn(rng, 3, 4)));
        add("mean()", x -> x[0].mean().square(), () -> in(randn(rng, 3, 4)));
        for (int axis : new int[] {0, 1, -1, 2}) {
            for (boolean keep : new boolean[] {false, true}) {
                add("sum axis " + axis + " keepDim " + keep, x -> weightedSum(x[0].sum(axis, keep)), () -> in(randn(rng, 2, 3, 4)));
                add("mean axis " + axis + " keepDim " + keep, x -> weightedSum(x[0].mean(axis, keep)), () -> in(randn(rng, 2, 3, 4)));
                add("max axis " + axis + " keepDim " + keep, x -> weightedSum(x[0].max(axis, keep)), () -> in(randn(rng, 2, 3, 4)));
                add("logSumExp axis " + axis + " keepDim " + keep, x -> weightedSum(x[0].logSumExp(axis, keep)),
                        () -> in(randn(rng, 2, 3, 4).mul(3)));
            }
        }
        // exp(800) overflows: only the max-shifted form stays finite. Values near 800 carry an absolute
        // rounding error of ~1e-13, so the difference step is larger here.
        Tensor big = randn(rng, 3, 4).add(800);
        cases.add(DynamicTest.dynamicTest("logSumExp with large values", () -> GradCheck.check("logSumExp large",
                x -> weightedSum(x[0].logSumExp(1, false)), 1e-3, 1e-5, 1e-7, big)));
        return cases;
    }

    @TestFactory
    List<DynamicTest> matmul() {
        // op(A) is [3,4], op(B) is [4,5]; stored shapes depend on the transpose flags
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int[] sa = ta ? new int[] {4, 3} : new int[] {3, 4};
                int[] sb = tb ? new int[] {5, 4} : new int[] {4, 5};
                add("matmul 2D transA=" + ta + " transB=" + tb, x -> weightedSum(x[0].matmul(x[1], ta, tb)),
                        () -> in(randn(rng, sa), randn(rng, sb)));
            }
        }
        add("matmul [2,3,4]@[4,5]", x -> weightedSum(x[0].matmul(x[1])), () -> in(randn(rng, 2, 3, 4), randn(rng, 4, 5)));
        add("matmul [3,4]@[2,4,5]", x -> weightedSum(x[0].matmul(x[1])), () -> in(randn(rng, 3, 4), randn(rng, 2, 4, 5)));
        add("matmul [1,3,4]@[2,4,5]", x -> weightedSum(x[0].matmul(x[1])), () -> in(randn(rng, 1, 3, 4), randn(rng, 2, 4, 5)));
        add("matmul [2,1,3,4]@[3,4,5]", x -> weightedSum(x[0].matmul(x[1])), () -> in(randn(rng, 2, 1, 3, 4), randn(rng, 3, 4, 5)));
        add("matmul batched transA transB [2,4,3]^T@[1,5,4]^T", x -> weightedSum(x[0].matmul(x[1], true, true)),
                () -> in(randn(rng, 2, 4, 3), randn(rng, 1, 5, 4)));
        add("matmul x@x^T (same var)", x -> weightedSum(x[0].matmul(x[0], false, true)), () -> in(randn(rng, 3, 4)));
        return cases;
    }

    @TestFactory
    List<DynamicTest> structure() {
        add("reshape [2,3,4]->[6,-1]", x -> weightedSum(x[0].reshape(6, -1)), () -> in(randn(rng, 2, 3, 4)));
        add("transpose(0,2)", x -> weightedSum(x[0].transpose(0, 2)), () -> in(randn(rng, 2, 3, 4)));
        add("transpose(-1,-2)", x -> weightedSum(x[0].transpose(-1, -2)), () -> in(randn(rng, 2, 3, 4)));
        add("t()", x -> weightedSum(x[0].t()), () -> in(randn(rng, 3, 5)));
        add("slice axis 1 [1,3)", x -> weightedSum(x[0].slice(1, 1, 3)), () -> in(randn(rng, 2, 4, 3)));
        add("slice axis 0 [2,5)", x -> weightedSum(x[0].slice(0, 2, 5)), () -> in(randn(rng, 5, 3)));
        add("column 2", x -> weightedSum(x[0].column(2)), () -> in(randn(rng, 4, 3)));
        add("concat axis 0", x -> weightedSum(Var.concat(0, x[0], x[1], x[2])),
                () -> in(randn(rng, 2, 3), randn(rng, 1, 3), randn(rng, 4, 3)));
        add("concat axis 1", x -> weightedSum(Var.concat(1, x[0], x[1], x[2])),
                () -> in(randn(rng, 3, 2), randn(rng, 3, 1), randn(rng, 3, 4)));
        add("concat axis 1 same var twice", x -> weightedSum(Var.concat(1, x[0], x[0])), () -> in(randn(rng, 3, 2)));
        int[] idx = {2, 0, 2, 3, 2, 1};
        add("gatherRows repeated indices", x -> weightedSum(x[0].gatherRows(idx)), () -> in(randn(rng, 4, 3)));
        add("scatterAddRows repeated indices", x -> weightedSum(x[0].scatterAddRows(idx, 5)), () -> in(randn(rng, 6, 3)));
        add("mse", x -> x[0].mse(x[1]), () -> in(randn(rng, 4, 3), randn(rng, 4, 3)));
        add("composite tanh(x@W+b)*x", x -> weightedSum(x[0].matmul(x[1]).add(x[2]).tanh().mul(x[0])),
                () -> in(randn(rng, 5, 3), randn(rng, 3, 3), randn(rng, 3)));
        return cases;
    }
}
