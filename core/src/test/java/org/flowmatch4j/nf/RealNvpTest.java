package org.flowmatch4j.nf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.flowmatch4j.autodiff.GradMode;
import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class RealNvpTest {
    /** A flow whose couplings and ActNorms are far from the identity (fresh couplings start as the identity). */
    static RealNvp randomFlow(RealNvpArchitecture arch, DType dtype, long seed) {
        Rng rng = new Rng(seed);
        RealNvp f = new RealNvp(arch, dtype, rng);
        for (Var p : f.parameters()) {
            Tensor v = p.value();
            for (int i = 0; i < v.numel(); i++) {
                v.setDouble(i, v.getDouble(i) + 0.4 * rng.nextGaussian());
            }
        }
        return f;
    }

    static RealNvpArchitecture arch(int d, boolean actNorm) {
        return new RealNvpArchitecture(d, 4, 8, 2, Activation.TANH, 1.5, actNorm);
    }

    static Var rows(double[] x, int n, int d) {
        return Var.constant(Tensor.of(x, n, d));
    }

    @Test
    void generateInvertsNormalizeToRoundOff() {
        for (int d : new int[] {2, 5}) {
            RealNvp f = randomFlow(arch(d, true), DType.FLOAT64, 3);
            int n = 50;
            double[] x = new double[n * d];
            Rng rng = new Rng(4);
            for (int i = 0; i < x.length; i++) {
                x[i] = 2 * rng.nextGaussian();
            }
            try (GradMode.Scope g = GradMode.disabled()) {
                FlowStep.Mapped inv = f.inverse(rows(x, n, d));
                FlowStep.Mapped back = f.forward(inv.value());
                // G(G⁻¹(x)) = x, and the two log-determinants cancel
                for (int i = 0; i < x.length; i++) {
                    assertThat(back.value().value().getDouble(i)).isCloseTo(x[i], within(1e-10 * (1 + Math.abs(x[i]))));
                }
                for (int i = 0; i < n; i++) {
                    assertThat(back.logDet().value().getDouble(i)).isCloseTo(-inv.logDet().value().getDouble(i), within(1e-10));
                }
                // G⁻¹(G(z)) = z, in float32 as well
                RealNvp ff = randomFlow(arch(d, true), DType.FLOAT32, 3);
                float[] z = new float[n * d];
                rng.fillNormal(z, 0, z.length);
                Var zv = Var.constant(Tensor.of(z, n, d));
                Tensor zz = ff.inverse(ff.forward(zv).value()).value().value();
                for (int i = 0; i < z.length; i++) {
                    assertThat((double) zz.floatData()[i]).isCloseTo(z[i], within(2e-5 * (1 + Math.abs(z[i]))));
                }
            }
        }
    }

    /** log|det| of a square matrix by LU with partial pivoting. */
    static double logAbsDet(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
        }
        double s = 0;
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            s += Math.log(Math.abs(m[c][c]));
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k < n; k++) {
                    m[r][k] -= f * m[c][k];
                }
            }
        }
        return s;
    }

    @Test
    void logDeterminantsMatchNumericJacobians() {
        for (int d : new int[] {2, 3, 5}) {
            for (boolean actNorm : new boolean[] {false, true}) {
                RealNvp f = randomFlow(arch(d, actNorm), DType.FLOAT64, 10 + d);
                Rng rng = new Rng(d);
                try (GradMode.Scope g = GradMode.disabled()) {
                    for (int trial = 0; trial < 5; trial++) {
                        double[] x = new double[d];
                        for (int j = 0; j < d; j++) {
                            x[j] = 1.5 * rng.nextGaussian();
                        }
                        for (boolean inverse : new boolean[] {true, false}) {
                            double h = 1e-5;
                            double[][] jac = new double[d][d];
                            for (int j = 0; j < d; j++) {
                                double[] xp = x.clone();
                                double[] xm = x.clone();
                                xp[j] += h;
                                xm[j] -= h;
                                Tensor yp = (inverse ? f.inverse(rows(xp, 1, d)) : f.forward(rows(xp, 1, d))).value().value();
                                Tensor ym = (inverse ? f.inverse(rows(xm, 1, d)) : f.forward(rows(xm, 1, d))).value().value();
                                for (int i = 0; i < d; i++) {
                                    jac[i][j] = (yp.getDouble(i) - ym.getDouble(i)) / (2 * h);
                                }
                            }
                            double ld = (inverse ? f.inverse(rows(x, 1, d)) : f.forward(rows(x, 1, d))).logDet().value().getDouble(0);
                            assertThat(ld).as("d=%d actnorm=%s %s", d, actNorm, inverse ? "G⁻¹" : "G")
                                    .isCloseTo(logAbsDet(jac), within(1e-7));
                        }
                    }
                }
            }
        }
    }

    @Test
    void nllGradientMatchesFiniteDifferences() {
        RealNvp f = randomFlow(arch(3, true), DType.FLOAT64, 21);
        int n = 16;
        double[] x = new double[n * 3];
        Rng rng = new Rng(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        Var xv = rows(x, n, 3);
        f.zeroGrad();
        f.nll(xv).backward();
        double h = 1e-6;
        List<String> bad = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, Var> e : f.namedParameters().entrySet()) {
            Tensor v = e.getValue().value();
            Tensor g = e.getValue().grad();
            for (int i = 0; i < v.numel(); i++) {
                double old = v.getDouble(i);
                v.setDouble(i, old + h);
                double up = f.nll(xv).item();
                v.setDouble(i, old - h);
                double dn = f.nll(xv).item();
                v.setDouble(i, old);
                double num = (up - dn) / (2 * h);
                double ana = g.getDouble(i);
                if (!(Math.abs(num - ana) <= 1e-7 + 1e-5 * Math.abs(num))) {
                    bad.add(e.getKey() + "[" + i + "]: tape " + ana + " vs numeric " + num);
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(400);
        assertThat(bad).isEmpty();
    }

    /** Copies a float32 flow's state into a float64 flow of the same architecture. */
    static void copyInto(RealNvp from, RealNvp to) {
        Map<String, Tensor> dst = to.stateDict();
        from.stateDict().forEach((k, t) -> dst.get(k).copyFromInPlace(t.to(DType.FLOAT64)));
    }

    @Test
    void fusedPassGivesTheTapesLossAndGradients() {
        int prev = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                for (int d : new int[] {2, 4}) {
                    RealNvpArchitecture a = new RealNvpArchitecture(d, 3, 16, 2, Activation.SILU, 2.0, true);
                    RealNvp f32 = randomFlow(a, DType.FLOAT32, 7);
                    RealNvp f64 = new RealNvp(a, DType.FLOAT64, new Rng(0));
                    copyInto(f32, f64);
                    int b = 64;
                    float[] x = new float[b * d];
                    new Rng(8).fillNormal(x, 0, x.length);
                    double fused = new FusedRealNvp(f32, b).lossAndGradient(x);
                    f64.zeroGrad();
                    Var loss = f64.nll(Var.constant(Tensor.of(x, b, d).to(DType.FLOAT64)));
                    loss.backward();
                    assertThat(fused).isCloseTo(loss.item(), within(1e-5 * (1 + Math.abs(loss.item()))));
                    Map<String, Var> p64 = f64.namedParameters();
                    f32.namedParameters().forEach((k, p) -> {
                        Tensor g64 = p64.get(k).grad();
                        double scale = 1e-3;
                        for (int i = 0; i < g64.numel(); i++) {
                            scale = Math.max(scale, Math.abs(g64.getDouble(i)));
                        }
                        for (int i = 0; i < g64.numel(); i++) {
                            assertThat((double) p.grad().floatData()[i]).as("%s[%d] d=%d threads=%d", k, i, d, threads)
                                    .isCloseTo(g64.getDouble(i), within(2e-4 * scale));
                        }
                    });
                }
            }
        } finally {
            Parallel.setThreads(prev);
        }
    }

    @Test
    void theDensityOfARandomFlowIntegratesToOne() {
        RealNvp f = randomFlow(arch(2, true), DType.FLOAT32, 31);
        int g = 300;
        double lo = -8, hi = 8;
        float[] pts = new float[g * g * 2];
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                pts[2 * (i * g + j)] = (float) (lo + (i + 0.5) * (hi - lo) / g);
                pts[2 * (i * g + j) + 1] = (float) (lo + (j + 0.5) * (hi - lo) / g);
            }
        }
        double[] lp = f.logProb(pts, g * g);
        double cell = (hi - lo) * (hi - lo) / ((double) g * g);
        double mass = 0;
        for (double v : lp) {
            mass += Math.exp(v) * cell;
        }
        // the box holds the share of the flow's own samples that fall in it (≈ 1 up to a few % in the tails)
        RealNvp.Sampled s = f.sample(100_000, new Rng(5));
        int inside = 0;
        for (int i = 0; i < s.rows(); i++) {
            float x = s.values()[2 * i], y = s.values()[2 * i + 1];
            inside += x > lo && x < hi && y > lo && y < hi ? 1 : 0;
        }
        double share = inside / (double) s.rows();
        assertThat(share).isGreaterThan(0.9);
        assertThat(mass).isCloseTo(share, within(0.005));
        // and the flow is far from the base Gaussian, so this is not the trivial case
        double base = 0;
        for (int i = 0; i < g * g; i++) {
            double x = pts[2 * i], y = pts[2 * i + 1];
            base = Math.max(base, Math.abs(lp[i] - (-0.5 * (x * x + y * y) - Math.log(2 * Math.PI))));
        }
        assertThat(base).isGreaterThan(1.0);
    }

    @Test
    void samplesCarryTheirOwnLogDensity() {
        RealNvp f = randomFlow(arch(3, true), DType.FLOAT32, 41);
        RealNvp.Sampled s = f.sample(200, new Rng(1));
        double[] lp = f.logProb(s.values(), 200);
        for (int i = 0; i < 200; i++) {
            assertThat(s.logProb()[i]).isCloseTo(lp[i], within(1e-3));
        }
        // same seed, same samples
        assertThat(f.sample(200, new Rng(1)).values()).containsExactly(s.values());
    }

    @Test
    void actNormInitialisesToZeroMeanUnitVarianceOnTheFirstBatch() {
        RealNvp f = new RealNvp(arch(2, true), DType.FLOAT32, new Rng(1));
        int n = 500;
        float[] x = new float[n * 2];
        Rng rng = new Rng(2);
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) (3 + 5 * rng.nextGaussian());
            x[2 * i + 1] = (float) (-1 + 0.2 * rng.nextGaussian());
        }
        f.initializeActNorms(x, n);
        ActNorm first = (ActNorm) f.steps().get(0);
        assertThat(first.isInitialized()).isTrue();
        try (GradMode.Scope g = GradMode.disabled()) {
            Tensor y = first.normalize(Var.constant(Tensor.of(x, n, 2))).value().value();
            for (int j = 0; j < 2; j++) {
                double m = 0, v = 0;
                for (int i = 0; i < n; i++) {
                    m += y.getDouble(2 * i + j) / n;
                }
                for (int i = 0; i < n; i++) {
                    v += Math.pow(y.getDouble(2 * i + j) - m, 2) / n;
                }
                assertThat(m).isCloseTo(0, within(1e-5));
                assertThat(v).isCloseTo(1, within(1e-4));
            }
        }
        // a second call leaves initialised layers alone
        float[] before = first.logScale().value().floatData().clone();
        f.initializeActNorms(new float[] {100, 100, -100, 7}, 2);
        assertThat(first.logScale().value().floatData()).containsExactly(before);
    }

    @Test
    void masksAlternateAndArchitecturesAreValidated() {
        assertThat(RealNvpArchitecture.mask(2, 0)).containsExactly(false, true);
        assertThat(RealNvpArchitecture.mask(2, 1)).containsExactly(true, false);
        assertThat(RealNvpArchitecture.mask(2, 2)).containsExactly(false, true);
        assertThat(RealNvpArchitecture.mask(5, 2)).containsExactly(false, false, true, true, true);
        assertThatThrownBy(() -> arch(1, false)).hasMessageContaining("at least 2 dimensions");
        assertThatThrownBy(() -> new RealNvpArchitecture(2, 4, 8, 2, Activation.TANH, 0, false)).hasMessageContaining("clamp");
        assertThatThrownBy(() -> new RealNvpTrainer(new RealNvp(arch(2, false), DType.FLOAT64, new Rng(1)),
                new NfTrainingSettings(1, 8, 1e-3, 0, 1), RealNvpTrainer.Engine.FUSED)).hasMessageContaining("float32");
    }
}
