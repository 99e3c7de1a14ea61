package org.flowmatch4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The tape-free FusedMlp pass against the autodiff graph of Mlp.forward + mse + backward. */
class FusedMlpTest {

    /** max |a − b| ≤ rtol · max |b| (+ a tiny floor for all-zero tensors). */
    private static void assertRelClose(String what, float[] actual, double[] expected, double rtol) {
        assertThat(actual).hasSize(expected.length);
        double scale = 0;
        double err = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(actual[i] - expected[i]));
            assertThat(Float.isFinite(actual[i])).as("%s finite", what).isTrue();
        }
        assertThat(err).as("%s: max error %s at scale %s", what, err, scale).isLessThanOrEqualTo(rtol * scale + 1e-12);
    }

    private static void compare(Activation act, int batch, int hiddenLayers, int in, int hidden, int out) {
        compare(act, batch, hiddenLayers, in, hidden, out, 1.5);
    }

    /** Both layouts of the pass against the autodiff graph. */
    private static void compare(Activation act, int batch, int hiddenLayers, int in, int hidden, int out, double inputScale) {
        for (boolean featureMajor : new boolean[] {true, false}) {
            compare(act, batch, hiddenLayers, in, hidden, out, inputScale, featureMajor);
        }
    }

    private static void compare(Activation act, int batch, int hiddenLayers, int in, int hidden, int out, double inputScale,
                                boolean featureMajor) {
        Rng rng = new Rng(1000L * batch + 31L * hiddenLayers + act.ordinal());
        Mlp mlp = new Mlp(in, hidden, out, hiddenLayers, act, DType.FLOAT32, rng);
        Tensor x = rng.normal(DType.FLOAT32, batch, in).mul(inputScale);
        Tensor target = rng.normal(DType.FLOAT32, batch, out);

        FusedMlp fused = new FusedMlp(mlp, batch, featureMajor);
        System.arraycopy(x.floatData(), 0, fused.input(), 0, x.numel());
        float[] y = fused.forward().clone();
        double loss = fused.mseLossAndGrad(target.floatData());
        fused.backward();
        List<float[]> fusedGrads = new ArrayList<>();
        for (Var p : mlp.parameters()) {
            fusedGrads.add(p.grad().floatData().clone());
        }

        mlp.zeroGrad();
        Var yv = mlp.forward(Var.constant(x));
        Var lv = yv.mse(Var.constant(target));
        lv.backward();
        String label = act + " batch " + batch + " depth " + hiddenLayers + (featureMajor ? " feature-major" : " row-major");
        assertRelClose(label + " output", y, yv.value().toDoubleArray(), 1e-4);
        assertThat(loss).as(label + " loss").isCloseTo(lv.item(), org.assertj.core.api.Assertions.within(1e-4 * Math.abs(lv.item())));
        List<Var> ps = mlp.parameters();
        for (int i = 0; i < ps.size(); i++) {
            assertRelClose(label + " grad of " + ps.get(i).name() + " #" + i, fusedGrads.get(i), ps.get(i).grad().toDoubleArray(), 1e-4);
        }

        // run twice: identical results, gradients written (not accumulated)
        mlp.zeroGrad();
        System.arraycopy(x.floatData(), 0, fused.input(), 0, x.numel());
        assertThat(fused.forward()).isEqualTo(y);
        assertThat(fused.mseLossAndGrad(target.floatData())).isEqualTo(loss);
        fused.backward(); // writes the gradients, it does not add to them
        for (int i = 0; i < ps.size(); i++) {
            assertThat(ps.get(i).grad().floatData()).as(label + " second run grad #" + i).isEqualTo(fusedGrads.get(i));
        }
        // the backward pass consumes what the forward pass saved: a second one needs a new forward pass
        assertThatThrownBy(fused::backward).isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a forward pass");
    }

    /**
     * The pass keeps packed copies of the weights (read by the forward and the backward products, in two sets used in
     * alternate passes): each pass must read the weights as they are when it starts, however they changed.
     */
    @Test
    void eachPassReadsTheWeightsAsTheyAreWhenItStarts() {
        for (boolean featureMajor : new boolean[] {true, false}) {
            Rng rng = new Rng(77);
            Mlp mlp = new Mlp(3, 40, 2, 2, Activation.SILU, DType.FLOAT32, rng);
            FusedMlp fused = new FusedMlp(mlp, 50, featureMajor);
            Tensor x = rng.normal(DType.FLOAT32, 50, 3);
            Tensor target = rng.normal(DType.FLOAT32, 50, 2);
            List<Var> ps = mlp.parameters();
            for (int pass = 0; pass < 4; pass++) {
                for (Var p : ps) {
                    float[] d = p.value().floatData();
                    for (int j = 0; j < d.length; j++) {
                        d[j] = d[j] * 0.9f + 0.01f * ((j + pass) % 7);
                    }
                }
                System.arraycopy(x.floatData(), 0, fused.input(), 0, x.numel());
                float[] y = fused.forward().clone();
                fused.mseLossAndGrad(target.floatData());
                fused.backward();
                List<float[]> fusedGrads = new ArrayList<>();
                for (Var p : ps) {
                    fusedGrads.add(p.grad().floatData().clone());
                }
                mlp.zeroGrad();
                Var yv = mlp.forward(Var.constant(x));
                yv.mse(Var.constant(target)).backward();
                String label = (featureMajor ? "feature-major" : "row-major") + " pass " + pass;
                assertRelClose(label + " output", y, yv.value().toDoubleArray(), 1e-4);
                for (int i = 0; i < ps.size(); i++) {
                    assertRelClose(label + " grad #" + i, fusedGrads.get(i), ps.get(i).grad().toDoubleArray(), 1e-4);
                }
            }
        }
    }

    @TestFactory
    List<DynamicTest> fusedPassEqualsAutodiffGraph() {
        List<DynamicTest> out = new ArrayList<>();
        int[] batches = {1, 7, 256};
        int i = 0;
        for (Activation act : Activation.values()) {
            for (int batch : batches) {
                int depth = 1 + (i++ % 3);
                out.add(DynamicTest.dynamicTest(act + " batch " + batch + " depth " + depth, () -> compare(act, batch, depth, 3, 32, 2)));
            }
        }
        for (Activation act : Activation.values()) {
            // pre-activations out to about ±60: saturation, the softplus threshold, exp overflow paths
            out.add(DynamicTest.dynamicTest(act + " large pre-activations", () -> compare(act, 19, 1, 3, 40, 2, 60)));
        }
        out.add(DynamicTest.dynamicTest("wide odd sizes SILU", () -> compare(Activation.SILU, 33, 2, 7, 65, 5)));
        out.add(DynamicTest.dynamicTest("deep GELU", () -> compare(Activation.GELU, 64, 5, 2, 48, 2)));
        // the benchmark's width: full 12-row panels plus a 4-row one, full 32-column tiles plus a partial one per block
        out.add(DynamicTest.dynamicTest("width 256 SILU batch 300", () -> compare(Activation.SILU, 300, 2, 3, 256, 2)));
        return out;
    }

    @Test
    void theLayoutFollowsTheWidestHiddenLayer() {
        Rng rng = new Rng(2);
        assertThat(new FusedMlp(new Mlp(3, 256, 2, 3, Activation.SILU, DType.FLOAT32, rng), 8).featureMajor()).isTrue();
        assertThat(new FusedMlp(new Mlp(3, 512, 2, 3, Activation.SILU, DType.FLOAT32, rng), 8).featureMajor()).isFalse();
    }

    @Test
    void rejectsFloat64AndBadBatch() {
        Rng rng = new Rng(1);
        assertThatThrownBy(() -> new FusedMlp(new Mlp(2, 4, 2, 1, Activation.TANH, DType.FLOAT64, rng), 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float32");
        assertThatThrownBy(() -> new FusedMlp(new Mlp(2, 4, 2, 1, Activation.TANH, DType.FLOAT32, rng), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
