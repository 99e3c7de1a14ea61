package org.flowmatch4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.flowmatch4j.autodiff.Autograd;
import org.flowmatch4j.autodiff.GradCheck;
import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class NnModulesTest {
    private final Rng rng = new Rng(4242);

    @Test
    void linearInitBoundsAndAffineOutput() {
        int in = 37;
        int out = 11;
        Linear l = new Linear(in, out, rng);
        double bound = 1 / Math.sqrt(in);
        Tensor w = l.weight().value();
        Tensor b = l.bias().value();
        assertThat(w.shape()).containsExactly(out, in);
        assertThat(b.shape()).containsExactly(out);
        double maxAbs = 0;
        double mean = 0;
        for (double v : w.toDoubleArray()) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(bound);
            maxAbs = Math.max(maxAbs, Math.abs(v));
            mean += v / w.numel();
        }
        for (double v : b.toDoubleArray()) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(bound);
        }
        // uniform over the whole interval, not a narrower one
        assertThat(maxAbs).isGreaterThan(0.95 * bound);
        assertThat(Math.abs(mean)).isLessThan(4 * bound / Math.sqrt(3 * w.numel()));

        Tensor x = rng.normal(DType.FLOAT32, 5, in);
        Tensor y = l.forward(Var.constant(x)).value();
        assertThat(y.shape()).containsExactly(5, out);
        for (int r = 0; r < 5; r++) {
            for (int o = 0; o < out; o++) {
                double s = b.getDouble(o);
                for (int i = 0; i < in; i++) {
                    s += x.get(r, i) * w.get(o, i);
                }
                assertThat(y.get(r, o)).isCloseTo(s, within(1e-5));
            }
        }
        // rank-3 and rank-1 inputs keep their leading axes
        assertThat(l.forward(Var.constant(rng.normal(DType.FLOAT32, 2, 3, in))).shape()).containsExactly(2, 3, out);
        Tensor x1 = x.slice(0, 1, 2).reshape(in);
        Tensor y1 = l.forward(Var.constant(x1)).value();
        assertThat(y1.shape()).containsExactly(out);
        for (int o = 0; o < out; o++) {
            assertThat(y1.getDouble(o)).isCloseTo(y.get(1, o), within(1e-6));
        }
        assertThatThrownBy(() -> l.forward(Var.constant(Tensor.zeros(DType.FLOAT32, 5, in + 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[5, 38]");
        Linear nb = new Linear(3, 2, false, DType.FLOAT64, rng);
        assertThat(nb.bias()).isNull();
        assertThat(nb.namedParameters().keySet()).containsExactly("weight");
    }

    @Test
    void parameterNamesAndShapes() {
        Mlp mlp = new Mlp(3, 16, 2, 3, Activation.SILU, DType.FLOAT32, rng);
        Map<String, Var> p = mlp.namedParameters();
        assertThat(p.keySet()).containsExactly("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
                "layers.2.weight", "layers.2.bias", "layers.3.weight", "layers.3.bias");
        assertThat(p.get("layers.0.weight").shape()).containsExactly(16, 3);
        assertThat(p.get("layers.1.weight").shape()).containsExactly(16, 16);
        assertThat(p.get("layers.3.weight").shape()).containsExactly(2, 16);
        assertThat(p.get("layers.3.bias").shape()).containsExactly(2);
        assertThat(p.get("layers.1.bias").name()).isEqualTo("bias");
        assertThat(mlp.parameterCount()).isEqualTo(16 * 3 + 16 + 2 * (16 * 16 + 16) + 2 * 16 + 2);

        TimeMlp tm = new TimeMlp(2, 8, 2, Activation.TANH, new SinusoidalTimeEmbedding(4), DType.FLOAT32, rng);
        assertThat(tm.namedParameters().keySet()).first().isEqualTo("net.layers.0.weight");
        assertThat(tm.namedParameters().get("net.layers.0.weight").shape()).containsExactly(8, 6);
        assertThat(tm.stateDict().keySet()).allMatch(k -> k.startsWith("net.layers."));

        FourierTimeEmbedding fourier = new FourierTimeEmbedding(6, 1.0, DType.FLOAT32, rng);
        TimeMlp tf = new TimeMlp(2, 8, 1, Activation.TANH, fourier, DType.FLOAT32, rng);
        assertThat(tf.stateDict()).containsKey("time.freqs");
        assertThat(tf.stateDict().get("time.freqs").shape()).containsExactly(1, 3);
        assertThat(tf.namedParameters()).doesNotContainKey("time.freqs");
        assertThat(tf.namedBuffers().keySet()).containsExactly("time.freqs");

        ResidualTimeMlp res = new ResidualTimeMlp(2, 8, 2, Activation.SILU, new FourierTimeEmbedding(4, 1, DType.FLOAT32, rng),
                DType.FLOAT32, rng);
        assertThat(res.stateDict().keySet()).contains("time.freqs", "input.weight", "blocks.0.fc1.weight", "blocks.1.cond.weight",
                "output.bias").doesNotContain("blocks.0.cond.bias");
        assertThat(res.forward(Var.constant(rng.normal(DType.FLOAT32, 5, 2)), Var.constant(rng.uniform(DType.FLOAT32, 0, 1, 5))).shape())
                .containsExactly(5, 2);
    }

    @Test
    void loadStateDictCopiesValuesAndRejectsMismatchesWithoutChangingAnything() {
        Mlp a = new Mlp(3, 5, 2, 2, Activation.TANH, DType.FLOAT32, new Rng(1));
        Mlp b = new Mlp(3, 5, 2, 2, Activation.TANH, DType.FLOAT32, new Rng(2));
        Map<String, double[]> before = snapshot(b);

        Map<String, Tensor> missing = copyOf(a.stateDict());
        missing.remove("layers.1.bias");
        assertThatThrownBy(() -> b.loadStateDict(missing)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layers.1.bias");
        assertUnchanged(b, before);

        Map<String, Tensor> extra = copyOf(a.stateDict());
        extra.put("layers.9.weight", Tensor.zeros(DType.FLOAT32, 1));
        assertThatThrownBy(() -> b.loadStateDict(extra)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layers.9.weight");
        assertUnchanged(b, before);

        Map<String, Tensor> wrongShape = copyOf(a.stateDict());
        wrongShape.put("layers.2.weight", Tensor.zeros(DType.FLOAT32, 5, 2));
        assertThatThrownBy(() -> b.loadStateDict(wrongShape)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layers.2.weight");
        assertUnchanged(b, before);

        Map<String, Tensor> wrongType = copyOf(a.stateDict());
        wrongType.put("layers.0.bias", Tensor.zeros(DType.FLOAT64, 5));
        assertThatThrownBy(() -> b.loadStateDict(wrongType)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float64");
        assertUnchanged(b, before);

        Map<String, Tensor> good = copyOf(a.stateDict());
        b.loadStateDict(good);
        assertThat(snapshot(b)).usingRecursiveComparison().isEqualTo(snapshot(a));
        // copied, not aliased
        good.get("layers.0.weight").fillInPlace(7);
        assertThat(b.stateDict().get("layers.0.weight").getDouble(0)).isNotEqualTo(7);
        Tensor x = rng.normal(DType.FLOAT32, 4, 3);
        assertThat(b.forward(Var.constant(x)).value().toDoubleArray()).isEqualTo(a.forward(Var.constant(x)).value().toDoubleArray());

        // buffers load too
        FourierTimeEmbedding f1 = new FourierTimeEmbedding(4, 1, DType.FLOAT32, new Rng(1));
        FourierTimeEmbedding f2 = new FourierTimeEmbedding(4, 1, DType.FLOAT32, new Rng(2));
        f2.loadStateDict(copyOf(f1.stateDict()));
        assertThat(f2.stateDict().get("freqs").toDoubleArray()).isEqualTo(f1.stateDict().get("freqs").toDoubleArray());
    }

    private static Map<String, Tensor> copyOf(Map<String, Tensor> s) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        s.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    private static Map<String, double[]> snapshot(Module m) {
        Map<String, double[]> out = new HashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.toDoubleArray()));
        return out;
    }

    private static void assertUnchanged(Module m, Map<String, double[]> before) {
        assertThat(snapshot(m)).usingRecursiveComparison().isEqualTo(before);
    }

    @Test
    void sinusoidalEmbeddingFollowsTheFormula() {
        int dim = 8;
        double maxPeriod = 10000;
        double scale = 1000;
        SinusoidalTimeEmbedding e = new SinusoidalTimeEmbedding(dim, maxPeriod, scale, DType.FLOAT64);
        double[] ts = {0, 0.25, 0.5, 1};
        Tensor out = e.embed(Var.constant(Tensor.of(ts, 4))).value();
        assertThat(out.shape()).containsExactly(4, dim);
        int half = dim / 2;
        for (int r = 0; r < ts.length; r++) {
            for (int i = 0; i < half; i++) {
                double w = Math.pow(maxPeriod, -(double) i / half);
                assertThat(out.get(r, i)).isCloseTo(Math.cos(scale * ts[r] * w), within(1e-9));
                assertThat(out.get(r, half + i)).isCloseTo(Math.sin(scale * ts[r] * w), within(1e-9));
            }
        }
        SinusoidalTimeEmbedding def = new SinusoidalTimeEmbedding(6);
        assertThat(def.dim()).isEqualTo(6);
        Tensor d = def.embed(Var.constant(Tensor.of(new float[] {0.3f}, 1))).value();
        assertThat(d.get(0, 0)).isCloseTo(Math.cos(1000 * 0.3f), within(1e-3));
        assertThatThrownBy(() -> new SinusoidalTimeEmbedding(5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.embed(Var.constant(Tensor.zeros(DType.FLOAT64, 4, 1)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[4, 1]");
    }

    @Test
    void fourierAndConcatEmbeddings() {
        double sigma = 0.7;
        FourierTimeEmbedding f = new FourierTimeEmbedding(6, sigma, DType.FLOAT64, new Rng(9));
        Tensor draws = new Rng(9).normal(DType.FLOAT64, 3);
        Tensor freqs = f.stateDict().get("freqs");
        double[] ts = {0.1, 0.9};
        Tensor out = f.embed(Var.constant(Tensor.of(ts, 2))).value();
        assertThat(out.shape()).containsExactly(2, 6);
        for (int i = 0; i < 3; i++) {
            double w = 2 * Math.PI * sigma * draws.getDouble(i);
            assertThat(freqs.getDouble(i)).isCloseTo(w, within(1e-12));
            for (int r = 0; r < 2; r++) {
                assertThat(out.get(r, i)).isCloseTo(Math.sin(w * ts[r]), within(1e-12));
                assertThat(out.get(r, 3 + i)).isCloseTo(Math.cos(w * ts[r]), within(1e-12));
            }
        }
        ConcatTime c = new ConcatTime();
        Tensor ct = c.embed(Var.constant(Tensor.of(ts, 2))).value();
        assertThat(ct.shape()).containsExactly(2, 1);
        assertThat(ct.toDoubleArray()).containsExactly(ts);
        assertThat(c.dim()).isEqualTo(1);
    }

    /** End-to-end: gradients of float64 TimeMlp / ResidualTimeMlp losses w.r.t. every parameter, x and t, by central differences. */
    @Test
    void timeConditionedNetsHaveCorrectGradients() {
        Tensor t = rng.uniform(DType.FLOAT64, 0, 1, 3);
        Tensor x = rng.normal(DType.FLOAT64, 3, 2);
        Tensor target = rng.normal(DType.FLOAT64, 3, 2);
        TimeMlp tm = new TimeMlp(2, 5, 2, Activation.GELU, new FourierTimeEmbedding(4, 1, DType.FLOAT64, rng), DType.FLOAT64, rng);
        ResidualTimeMlp rm = new ResidualTimeMlp(2, 4, 2, Activation.SILU, new SinusoidalTimeEmbedding(4, 100, 10, DType.FLOAT64),
                DType.FLOAT64, rng);
        for (TimeConditionedNet net : List.of(tm, rm)) {
            String name = net.getClass().getSimpleName();
            java.util.function.Supplier<Double> loss = () -> net.forward(Var.constant(x), Var.constant(t)).mse(Var.constant(target)).item();
            net.module().zeroGrad();
            Var xv = Var.param(x);
            Var tv = Var.param(t);
            Var l = net.forward(xv, tv).mse(Var.constant(target));
            Var[] gin = Autograd.grad(l, xv, tv);
            l.backward();
            for (Map.Entry<String, Var> e : net.module().namedParameters().entrySet()) {
                Tensor pv = e.getValue().value();
                Tensor num = Tensor.zeros(DType.FLOAT64, pv.shape());
                for (int j = 0; j < pv.numel(); j++) {
                    double p0 = pv.getDouble(j);
                    pv.setDouble(j, p0 + GradCheck.H);
                    double lp = loss.get();
                    pv.setDouble(j, p0 - GradCheck.H);
                    double lm = loss.get();
                    pv.setDouble(j, p0);
                    num.setDouble(j, (lp - lm) / (2 * GradCheck.H));
                }
                assertThat(e.getValue().grad().allClose(num, 1e-6, 1e-8)).as("%s %s: %s vs %s", name, e.getKey(),
                        e.getValue().grad(), num).isTrue();
            }
            Tensor[] ins = {x, t};
            for (int k = 0; k < 2; k++) {
                Tensor num = Tensor.zeros(DType.FLOAT64, ins[k].shape());
                for (int j = 0; j < ins[k].numel(); j++) {
                    double p0 = ins[k].getDouble(j);
                    ins[k].setDouble(j, p0 + GradCheck.H);
                    double lp = loss.get();
                    ins[k].setDouble(j, p0 - GradCheck.H);
                    double lm = loss.get();
                    ins[k].setDouble(j, p0);
                    num.setDouble(j, (lp - lm) / (2 * GradCheck.H));
                }
                assertThat(gin[k].value().allClose(num, 1e-6, 1e-8)).as("%s input %d: %s vs %s", name, k, gin[k].value(), num).isTrue();
            }
        }
    }
}
