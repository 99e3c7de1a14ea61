package org.flowmatch4j.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flowmatch4j.autodiff.GradCheck.randn;
import static org.flowmatch4j.autodiff.GradCheck.weightedSum;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Gradient accumulation over many uses of one value, where a first-order sweep adds later contributions in
 * place into the sums it allocated itself: checked against central differences and against the same sweep
 * recorded with createGraph (which never writes in place), including a returned gradient that the sweep
 * also passed on to an input that keeps accumulating.
 */
class AutogradAccumulationTest {
    private final Rng rng = new Rng(8080);

    @Test
    void manyUsesOfOneValueMatchFiniteDifferences() {
        Tensor a = randn(rng, 3, 4);
        Tensor b = randn(rng, 4);
        GradCheck.check("five uses", x -> {
            Var u = x[0].mul(0.7);
            return weightedSum(u.mul(Var.constant(a)).add(u.mul(Var.constant(b))).add(u.square()).add(u).add(x[0].mul(u)));
        }, randn(rng, 3, 4));
    }

    @Test
    void returnedGradientsAreNotOverwrittenByLaterAccumulation() {
        Tensor x0 = rng.normal(DType.FLOAT32, 5, 6);
        Tensor c = rng.normal(DType.FLOAT32, 5, 6);
        Tensor w1 = rng.normal(DType.FLOAT32, 5, 6);
        Tensor w2 = rng.normal(DType.FLOAT32, 5, 6);
        Tensor w3 = rng.normal(DType.FLOAT32, 5, 6);
        Var[][] grads = new Var[2][];
        Var[] vs = new Var[2];
        for (int pass = 0; pass < 2; pass++) {
            Var x = Var.param(x0);
            Var u = x.mul(1.5);
            Var v = u.add(Var.constant(c)); // add passes v's gradient, a sum of two uses, on to u unchanged
            // u's own uses come first, so the sweep reaches them after v's: u's first contribution is v's sum
            Var y = u.mul(Var.constant(w3)).sum().add(u.mul(Var.constant(w1)).sum()).add(v.mul(Var.constant(w1)).sum())
                    .add(v.mul(Var.constant(w2)).sum());
            grads[pass] = Autograd.grad(new Var[] {y}, null, new Var[] {v, u, x}, pass == 1);
            vs[pass] = v;
        }
        // ∂y/∂v = w1 + w2, ∂y/∂u = (w1 + w2) + w3 + w1 in some order, ∂y/∂x = 1.5·∂y/∂u
        Tensor dv = grads[0][0].value();
        for (int i = 0; i < dv.numel(); i++) {
            assertThat(dv.getDouble(i)).isEqualTo((double) ((float) w2.getDouble(i) + (float) w1.getDouble(i)));
            double du = w1.getDouble(i) * 2 + w2.getDouble(i) + w3.getDouble(i);
            assertThat(grads[0][1].value().getDouble(i)).isCloseTo(du, org.assertj.core.api.Assertions.within(1e-5));
        }
        // the in-place sweep and the recorded one give the same floats
        for (int k = 0; k < 3; k++) {
            assertThat(grads[0][k].value().toDoubleArray()).as("input %d", k).isEqualTo(grads[1][k].value().toDoubleArray());
        }
    }
}
