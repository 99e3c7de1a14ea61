package org.flowmatch4j.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.flowmatch4j.autodiff.GradCheck.awayFromZero;
import static org.flowmatch4j.autodiff.GradCheck.randn;
import static org.flowmatch4j.autodiff.GradCheck.weightedSum;

import java.util.ArrayList;
import java.util.List;

import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Activations of recorded values, where the tape computes act and act' in one pass and reuses them (the
 * layer output, its forward-mode slope and the backward all read the same tensors), and where a first-order
 * backward through act' forms {@code g ⊙ act''} in one op: gradient checks in float64 against central
 * differences, second-order checks with {@code createGraph}, and float32 gradients against float64 ones.
 */
class ActivationTapeTest {
    private final Rng rng = new Rng(31337);

    private static boolean kink(Activation act) {
        return act == Activation.RELU || act == Activation.SELU;
    }

    /**
     * One hidden layer with a forward-mode tangent, as the CNF's divergence is formed:
     * {@code a = x W + b, h = act(a), t = (u W) ⊙ act'(a)}, scalar {@code Σ c₁ ⊙ h + Σ c₂ ⊙ t}.
     */
    private static Var layerWithTangent(Activation act, Var x, Var w, Var b, Var u) {
        Var a = x.matmul(w).add(b);
        Var slope = a.activationDerivative(act);
        Var t = u.matmul(w).mul(slope);
        Var h = a.activation(act);
        return weightedSum(h).add(weightedSum(t.mul(1.7)));
    }

    @TestFactory
    List<DynamicTest> gradientsThroughRecordedActivationsMatchFiniteDifferences() {
        List<DynamicTest> out = new ArrayList<>();
        for (Activation act : Activation.values()) {
            if (act == Activation.IDENTITY) {
                continue;
            }
            // pointwise on a recorded value (y = 1.3·x + 0.2 is on the tape): value and slope share one pass
            Tensor x0 = kink(act) ? awayFromZero(rng, 0.2, 3, 5).mul(2) : randn(rng, 3, 5).mul(2);
            out.add(DynamicTest.dynamicTest("act and act' of a recorded value, " + act, () -> GradCheck.check(act + " pointwise", in -> {
                Var y = in[0].mul(1.3);
                return weightedSum(y.activationDerivative(act)).add(weightedSum(y.activation(act).mul(0.6)));
            }, kink(act) ? x0.mul(1.0) : x0.add(0.2))));
            if (!kink(act)) {
                // through a matmul, a bias row and a tangent product (the kinks would put x W + b across 0)
                Tensor[] in = {randn(rng, 4, 3), randn(rng, 3, 5), randn(rng, 5), randn(rng, 4, 3)};
                out.add(DynamicTest.dynamicTest("layer with forward-mode tangent, " + act, () -> GradCheck.check(act + " layer",
                        v -> layerWithTangent(act, v[0], v[1], v[2], v[3]), in)));
            }
        }
        return out;
    }

    @TestFactory
    List<DynamicTest> secondOrderThroughRecordedActivationsMatchFiniteDifferences() {
        // s = Σ v ⊙ ∂f/∂x, f = Σ c ⊙ act(x W + b): createGraph reuses the memoised slope as a differentiable op
        List<DynamicTest> out = new ArrayList<>();
        for (Activation act : Activation.values()) {
            if (kink(act) || act == Activation.IDENTITY) {
                continue;
            }
            Tensor v = randn(rng, 4, 3);
            out.add(DynamicTest.dynamicTest("second order, " + act, () -> GradCheck.check(act + " second order", in -> {
                Var a = in[0].matmul(in[1]).add(in[2]);
                Var f = weightedSum(a.activation(act));
                Var gx = Autograd.grad(new Var[] {f}, null, new Var[] {in[0]}, true)[0];
                return gx.mul(Var.constant(v)).sum();
            }, randn(rng, 4, 3), randn(rng, 3, 5), randn(rng, 5))));
        }
        return out;
    }

    @Test
    void float32GradientsAgreeWithFloat64() {
        Tensor[] in64 = {randn(rng, 16, 3), randn(rng, 3, 24), randn(rng, 24), randn(rng, 16, 3)};
        for (Activation act : Activation.values()) {
            Var[] p64 = new Var[4];
            Var[] p32 = new Var[4];
            for (int i = 0; i < 4; i++) {
                p64[i] = Var.param(in64[i]);
                p32[i] = Var.param(in64[i].to(DType.FLOAT32));
            }
            Var[] g64 = Autograd.grad(layerWithTangent(act, p64[0], p64[1], p64[2], p64[3]), p64);
            Var[] g32 = Autograd.grad(layerWithTangent(act, p32[0], p32[1], p32[2], p32[3]), p32);
            for (int i = 0; i < 4; i++) {
                Tensor e = g64[i].value();
                Tensor f = g32[i].value();
                assertThat(f.dtype()).isEqualTo(DType.FLOAT32);
                double scale = 0;
                for (int j = 0; j < e.numel(); j++) {
                    scale = Math.max(scale, Math.abs(e.getDouble(j)));
                }
                for (int j = 0; j < e.numel(); j++) {
                    assertThat(f.getDouble(j)).as("%s gradient %d element %d", act, i, j)
                            .isCloseTo(e.getDouble(j), within(2e-5 * (scale + 1)));
                }
            }
        }
    }

    @Test
    void memoisedValuesEqualFreshOnesAndFollowTheActivation() {
        Var x = Var.param(rng.normal(DType.FLOAT32, 6, 7));
        Var y = x.mul(2.0); // recorded
        for (Activation act : new Activation[] {Activation.SILU, Activation.TANH, Activation.SILU, Activation.GELU}) {
            Tensor slope = y.activationDerivative(act).value();
            Tensor value = y.activation(act).value();
            assertThat(value.toDoubleArray()).as("%s value", act).isEqualTo(y.value().activation(act).toDoubleArray());
            assertThat(slope.toDoubleArray()).as("%s slope", act).isEqualTo(y.value().activationDerivative(act).toDoubleArray());
        }
    }

    @Test
    void leafValuesUpdatedInPlaceAreNotServedStale() {
        // an optimiser writes parameters in place: a leaf's activation must always be computed afresh
        Var p = Var.param(Tensor.of(new float[] {0.5f, -1f, 2f}, 3));
        Var before = p.activation(Activation.TANH);
        p.value().mulInPlace(3);
        Var after = p.activation(Activation.TANH);
        Var slope = p.activationDerivative(Activation.TANH);
        assertThat(after.value().toDoubleArray()).isEqualTo(p.value().activation(Activation.TANH).toDoubleArray());
        assertThat(after.value().getDouble(0)).isNotEqualTo(before.value().getDouble(0));
        assertThat(slope.value().toDoubleArray()).isEqualTo(p.value().activationDerivative(Activation.TANH).toDoubleArray());
    }

    @Test
    void noGradModeComputesTheValueOnly() {
        Var x = Var.param(rng.normal(DType.FLOAT32, 4, 4));
        Var y = x.mul(1.5);
        try (GradMode.Scope s = GradMode.set(false)) {
            Var h = y.activation(Activation.SOFTPLUS);
            assertThat(h.requiresGrad()).isFalse();
            assertThat(h.value().toDoubleArray()).isEqualTo(y.value().activation(Activation.SOFTPLUS).toDoubleArray());
        }
    }
}
