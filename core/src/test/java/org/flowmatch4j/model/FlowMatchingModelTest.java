package org.flowmatch4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.Standardization;
import org.flowmatch4j.data.ToyDatasets;
import org.flowmatch4j.fm.TrainingSettings;
import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.likelihood.LikelihoodResult;
import org.flowmatch4j.solver.DormandPrince54;
import org.flowmatch4j.solver.Recording;
import org.flowmatch4j.tensor.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowMatchingModelTest {
    static FlowMatchingModel model;
    static Dataset data;

    static ModelConfig config(Standardization norm, String path, String target) {
        return new ModelConfig(ModelConfig.FORMAT_VERSION, "fm", 2, 64, 3, "silu", "concat", path, 0.0, target, "exact-ot",
                norm.mean(), norm.std(), List.of("x0", "x1"), "moons", 4, 1500, 256, 1e-3, 0, 2);
    }

    @BeforeAll
    static void train() {
        data = ToyDatasets.generate("moons", 10000, new Rng(1));
        model = FlowMatchingModel.create(config(Standardization.fit(data), "condot", "velocity"));
        model.train(data, new TrainingSettings(1500, 256, 1e-3, 0, 0, 4), List.of());
    }

    @Test
    void theDensityIntegratesToOneOverAGridCoveringTheData() {
        int g = 60;
        double lo0 = -2.5, hi0 = 3.5, lo1 = -2.0, hi1 = 2.5;
        float[] pts = new float[g * g * 2];
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                pts[2 * (i * g + j)] = (float) (lo0 + (i + 0.5) * (hi0 - lo0) / g);
                pts[2 * (i * g + j) + 1] = (float) (lo1 + (j + 0.5) * (hi1 - lo1) / g);
            }
        }
        LikelihoodResult r = model.logProb(pts, g * g, DormandPrince54.withTolerances(1e-5, 1e-5), DivergenceMethod.EXACT, 0, new Rng(0));
        double cell = (hi0 - lo0) * (hi1 - lo1) / (g * g);
        double mass = 0;
        for (double lp : r.logProb()) {
            mass += Math.exp(lp) * cell;
        }
        assertThat(mass).isCloseTo(1.0, within(0.02));
    }

    @Test
    void testNllAgreesWithATighterIndependentSolve() {
        Dataset test = ToyDatasets.generate("moons", 500, new Rng(9));
        double a = model.logProb(test.toArray(), 500, DormandPrince54.withTolerances(1e-5, 1e-5), DivergenceMethod.EXACT, 0, new Rng(0)).mean();
        double b = model.logProb(test.toArray(), 500, DormandPrince54.withTolerances(1e-8, 1e-8), DivergenceMethod.EXACT, 0, new Rng(0)).mean();
        assertThat(a).isCloseTo(b, within(0.05));
        // the learned density beats a Gaussian fitted to the data (moons are far from Gaussian)
        Standardization s = Standardization.fit(data);
        double gauss = 0;
        for (int i = 0; i < 500; i++) {
            for (int j = 0; j < 2; j++) {
                double z = (test.get(i, j) - s.mean()[j]) / s.std()[j];
                gauss += (-0.5 * Math.log(2 * Math.PI) - Math.log(s.std()[j]) - 0.5 * z * z) / 500;
            }
        }
        assertThat(a).isGreaterThan(gauss + 0.3);
    }

    @Test
    void x1AndEpsilonModelsGiveVelocityJvpsConsistentWithFiniteDifferences() {
        for (String target : new String[] {"x1", "epsilon"}) {
            FlowMatchingModel m = FlowMatchingModel.create(config(Standardization.identity(2), "condot", target));
            org.flowmatch4j.likelihood.VelocityField f = m.field(1);
            float[] x = {0.3f, -0.7f, 1.1f, 0.4f};
            float[] e = {1f, -1f, 0.5f, 2f};
            float[] v = new float[4];
            float[][] jv = {new float[4]};
            f.velocityJvp(0.6, x, 2, v, new float[][] {e}, jv, 1);
            float h = 1e-2f;
            float[] xp = new float[4];
            float[] xm = new float[4];
            for (int i = 0; i < 4; i++) {
                xp[i] = x[i] + h * e[i];
                xm[i] = x[i] - h * e[i];
            }
            float[] vp = new float[4];
            float[] vm = new float[4];
            f.velocity(0.6, xp, 2, vp);
            f.velocity(0.6, xm, 2, vm);
            float[] v2 = new float[4];
            f.velocity(0.6, x, 2, v2);
            for (int i = 0; i < 4; i++) {
                assertThat((double) v2[i]).isCloseTo(v[i], within(1e-6));
                assertThat((double) jv[0][i]).as("%s jvp %d", target, i).isCloseTo((vp[i] - vm[i]) / (2 * h), within(2e-3));
            }
        }
    }

    @Test
    void aFourierTimeEmbeddingTrainsAndItsFrequenciesAreSavedWithTheWeights(@TempDir Path dir) throws IOException {
        Standardization norm = Standardization.fit(data);
        ModelConfig c = new ModelConfig(ModelConfig.FORMAT_VERSION, "fm", 2, 32, 2, "silu", "fourier", "condot", 0.0, "velocity", "independent",
                norm.mean(), norm.std(), List.of("x0", "x1"), "moons", 6, 300, 128, 1e-3, 0, 1);
        FlowMatchingModel m = FlowMatchingModel.create(c);
        m.train(data, new TrainingSettings(300, 128, 1e-3, 0, 0, 6), List.of());
        assertThat(m.network().stateDict()).containsKey("time.freqs");
        m.save(dir);
        FlowMatchingModel back = FlowMatchingModel.load(dir);
        float[] a = m.sample(50, new org.flowmatch4j.solver.RK4(20), new Rng(3), Recording.none()).values();
        float[] b = back.sample(50, new org.flowmatch4j.solver.RK4(20), new Rng(3), Recording.none()).values();
        assertThat(b).containsExactly(a);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FlowMatchingModel.create(new ModelConfig(ModelConfig.FORMAT_VERSION, "fm", 2, 8,
                1, "silu", "wavelet", "condot", 0.0, "velocity", "independent", norm.mean(), norm.std(), List.of("x0", "x1"), "moons", 6, 1, 8,
                1e-3, 0, 1))).hasMessageContaining("unknown time embedding 'wavelet'; valid: concat, fourier");
    }

    @Test
    void saveAndLoadGiveTheSameSamples(@TempDir Path dir) throws IOException {
        model.save(dir);
        FlowMatchingModel back = FlowMatchingModel.load(dir);
        float[] a = model.sample(50, DormandPrince54.withTolerances(1e-5, 1e-5), new Rng(3), Recording.none()).values();
        float[] b = back.sample(50, DormandPrince54.withTolerances(1e-5, 1e-5), new Rng(3), Recording.none()).values();
        assertThat(b).containsExactly(a);
    }

    @Test
    void corruptOrFutureModelDirectoriesAreRefused(@TempDir Path dir) throws IOException {
        model.save(dir);
        byte[] w = Files.readAllBytes(dir.resolve(FlowMatchingModel.WEIGHTS));
        w[w.length - 3] ^= 0x10;
        Files.write(dir.resolve(FlowMatchingModel.WEIGHTS), w);
        assertThatThrownBy(() -> FlowMatchingModel.load(dir)).hasMessageContaining("model.safetensors");
        model.save(dir);
        String cfg = Files.readString(dir.resolve(FlowMatchingModel.CONFIG));
        Files.writeString(dir.resolve(FlowMatchingModel.CONFIG), cfg.replace("\"format_version\": 1", "\"format_version\": 7"));
        assertThatThrownBy(() -> FlowMatchingModel.load(dir)).hasMessageContaining("version 7");
        Files.writeString(dir.resolve(FlowMatchingModel.CONFIG), cfg.replace("\"method\"", "\"colour\": \"red\", \"method\""));
        assertThatThrownBy(() -> FlowMatchingModel.load(dir)).hasMessageContaining("colour");
    }
}
