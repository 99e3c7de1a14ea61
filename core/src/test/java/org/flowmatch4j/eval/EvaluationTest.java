package org.flowmatch4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.Standardization;
import org.flowmatch4j.data.ToyDatasets;
import org.flowmatch4j.fm.TrainingSettings;
import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.likelihood.LikelihoodResult;
import org.flowmatch4j.likelihood.VelocityField;
import org.flowmatch4j.model.FlowMatchingModel;
import org.flowmatch4j.model.GenerativeModel;
import org.flowmatch4j.model.ModelConfig;
import org.flowmatch4j.model.Samples;
import org.flowmatch4j.solver.OdeSolver;
import org.flowmatch4j.solver.RK4;
import org.flowmatch4j.solver.Recording;
import org.flowmatch4j.tensor.Rng;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    /**
     * A one-pass model with a closed-form density, N(μ, diag σ²): samples μ + σ·z, exact log-densities. It stands
     * in for a normalizing flow (no solver, no velocity field), with answers known exactly.
     */
    record DiagonalGaussian(double[] mu, double[] sigma) implements GenerativeModel {
        @Override
        public String method() {
            return "gaussian";
        }

        @Override
        public int dim() {
            return mu.length;
        }

        @Override
        public List<String> columns() {
            return Dataset.defaultColumnNames(mu.length);
        }

        @Override
        public Standardization normalization() {
            return new Standardization(mu, sigma);
        }

        @Override
        public boolean usesSolver() {
            return false;
        }

        @Override
        public Samples sample(int n, OdeSolver solver, Rng rng, Recording recording) {
            int d = dim();
            float[] x = new float[n * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (mu[i % d] + sigma[i % d] * rng.nextGaussian());
            }
            return new Samples(x, n, 1, Optional.empty());
        }

        @Override
        public LikelihoodResult logProb(float[] x, int n, OdeSolver solver, DivergenceMethod method, int probes, Rng rng) {
            int d = dim();
            double[] lp = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    double z = (x[i * d + j] - mu[j]) / sigma[j];
                    lp[i] += -0.5 * Math.log(2 * Math.PI) - Math.log(sigma[j]) - 0.5 * z * z;
                }
            }
            return new LikelihoodResult(lp, 1);
        }

        @Override
        public Optional<VelocityField> velocityField(int maxTangents) {
            return Optional.empty();
        }

        @Override
        public String configJson() {
            return "{\"method\": \"gaussian\"}";
        }

        @Override
        public void save(Path dir) {
            throw new UnsupportedOperationException("test model");
        }
    }

    static float[] draw(GenerativeModel m, int n, long seed) {
        return m.sample(n, null, new Rng(seed), Recording.none()).values();
    }

    @Test
    void aModelScoredOnItsOwnDistributionHasTheEntropyAsNllAndSmallDistances() {
        DiagonalGaussian model = new DiagonalGaussian(new double[] {1.0, -2.0}, new double[] {0.5, 2.0});
        float[] test = draw(model, 900, 77);
        EvaluationResult r = Evaluation.evaluate(model, test, 900, null, 600, 5);
        // E NLL = Σ_j ½ log(2π e σ_j²); per point NLL has sd sqrt(d/2) = 1, so over 600 points sd ≈ 0.041
        double entropy = 0.5 * Math.log(2 * Math.PI * Math.E * 0.25) + 0.5 * Math.log(2 * Math.PI * Math.E * 4.0);
        assertThat(r.testNll()).isCloseTo(entropy, within(0.15));
        assertThat(r.bitsPerDim()).isCloseTo(r.testNll() / (2 * Math.log(2)), within(1e-12));
        assertThat(r.samples()).isEqualTo(600);
        assertThat(r.heldOut()).isEqualTo(600);
        assertThat(r.w2().exact()).isTrue();
        assertThat(r.w2().n()).isEqualTo(600);
        assertThat(r.nfe()).isEqualTo(1);
        assertThat(r.nfeLogprob()).isEqualTo(1);
        assertThat(r.straightness()).isEmpty();
        assertThat(r.chordStraightness()).isNaN();

        // the same model against data shifted by (0, 1.5): W1 = W2 = 1.5 for a translation, MMD grows
        float[] shifted = test.clone();
        for (int i = 1; i < shifted.length; i += 2) {
            shifted[i] += 1.5f;
        }
        EvaluationResult s = Evaluation.evaluate(model, shifted, 900, null, 600, 5);
        assertThat(r.w2().value()).isLessThan(0.35);
        assertThat(s.w2().value()).isCloseTo(1.5, within(0.2));
        assertThat(s.w1().value()).isCloseTo(1.5, within(0.2));
        assertThat(s.mmd().mmd2()).isGreaterThan(10 * r.mmd().mmd2());
        assertThat(s.testNll()).isGreaterThan(r.testNll() + 0.2);
    }

    @Test
    void theSameSeedGivesTheSameFigures() {
        DiagonalGaussian model = new DiagonalGaussian(new double[] {0, 0, 0}, new double[] {1, 1, 1});
        float[] test = draw(model, 300, 1);
        EvaluationResult a = Evaluation.evaluate(model, test, 300, null, 200, 9);
        EvaluationResult b = Evaluation.evaluate(model, test, 300, null, 200, 9);
        EvaluationResult c = Evaluation.evaluate(model, test, 300, null, 200, 10);
        assertThat(b.w1()).isEqualTo(a.w1());
        assertThat(b.w2()).isEqualTo(a.w2());
        assertThat(b.mmd()).isEqualTo(a.mmd());
        assertThat(b.testNll()).isEqualTo(a.testNll());
        assertThat(c.w2().value()).isNotEqualTo(a.w2().value());
    }

    @Test
    void aTrainedFlowBeatsItsUntrainedSelfAndReportsItsPaths() {
        Dataset data = ToyDatasets.generate("8gaussians", 10000, new Rng(1));
        Standardization norm = Standardization.fit(data);
        ModelConfig cfg = new ModelConfig(ModelConfig.FORMAT_VERSION, "fm", 2, 32, 2, "silu", "concat", "condot", 0.0,
                "velocity", "exact-ot", norm.mean(), norm.std(), List.of("x0", "x1"), "8gaussians", 3, 600, 256, 2e-3, 0, 1);
        FlowMatchingModel untrained = FlowMatchingModel.create(cfg);
        FlowMatchingModel trained = FlowMatchingModel.create(cfg);
        trained.train(data, new TrainingSettings(600, 256, 2e-3, 0, 0, 3), List.of());
        float[] test = ToyDatasets.generate("8gaussians", 400, new Rng(2)).toArray();
        EvaluationOptions options = new EvaluationOptions(400, 4, 64, 20, null, 1, 2000, 2000);
        EvaluationResult before = Evaluation.evaluate(untrained, test, 400, new RK4(20), options);
        EvaluationResult after = Evaluation.evaluate(trained, test, 400, new RK4(20), options);
        assertThat(after.nfe()).isEqualTo(80);
        assertThat(after.nfeLogprob()).isEqualTo(80);
        // the untrained field barely moves the Gaussian source (W2 ≈ 1.3 in data units); training cuts it well down
        assertThat(after.w2().value()).isLessThan(0.6 * before.w2().value());
        assertThat(after.mmd().mmd2()).isLessThan(before.mmd().mmd2());
        assertThat(after.testNll()).isLessThan(before.testNll());
        StraightnessResult st = after.straightness().orElseThrow();
        assertThat(st.samples()).isEqualTo(64);
        assertThat(st.times()).isEqualTo(21);
        assertThat(st.chordDeviation()).isPositive().isFinite();
        assertThat(st.velocityDeviation()).isPositive().isFinite();
    }

    @Test
    void badInputIsRefused() {
        DiagonalGaussian model = new DiagonalGaussian(new double[] {0, 0}, new double[] {1, 1});
        assertThatThrownBy(() -> Evaluation.evaluate(model, new float[] {1, 2, 3}, 1, null, 10, 0))
                .hasMessageContaining("dimension is 2");
        ModelConfig cfg = new ModelConfig(ModelConfig.FORMAT_VERSION, "fm", 2, 8, 1, "silu", "concat", "condot", 0.0,
                "velocity", "independent", new double[] {0, 0}, new double[] {1, 1}, List.of("x0", "x1"), "x", 0, 1, 1, 1e-3, 0, 1);
        assertThatThrownBy(() -> Evaluation.evaluate(FlowMatchingModel.create(cfg), new float[] {1, 2}, 1, null, 10, 0))
                .hasMessageContaining("needs a solver");
    }
}
