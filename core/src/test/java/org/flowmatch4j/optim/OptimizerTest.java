package org.flowmatch4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.nn.Mlp;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class OptimizerTest {
    private static final double[] A = {0.5, 2.0, 1.0, 3.0, 0.1};   // curvatures
    private static final double[] C = {1.0, -2.0, 0.5, 0.0, 4.0};  // minimiser
    private static final double[] P0 = {0.3, 0.7, -1.2, 2.0, -0.5};

    /** grad of ½ Σ a (p − c)², set through the autodiff tape. */
    private static void quadraticBackward(Var p) {
        p.zeroGrad();
        DType dt = p.dtype();
        Var d = p.sub(Var.constant(Tensor.of(C.clone(), 5).to(dt)));
        d.square().mul(Var.constant(Tensor.of(A.clone(), 5).to(dt))).sum().mul(0.5).backward();
    }

    private static double[] refGrad(double[] p) {
        double[] g = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            g[i] = A[i] * (p[i] - C[i]);
        }
        return g;
    }

    /** PyTorch's AdamW written out: decay first, then the Adam step with bias corrections (g given). */
    private static void refAdam(double[] p, double[] g, double[] m, double[] v, int t, double lr, double b1, double b2, double eps,
            double wd) {
        for (int i = 0; i < p.length; i++) {
            p[i] *= 1 - lr * wd;
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            double mhat = m[i] / (1 - Math.pow(b1, t));
            double vhat = v[i] / (1 - Math.pow(b2, t));
            p[i] -= lr * mhat / (Math.sqrt(vhat) + eps);
        }
    }

    /**
     * Float64 parameters follow the double reference trajectory to 1e-12. Float32 parameters (the kernel
     * path) are checked step by step: the reference starts each step from the float parameter and the
     * float gradient, so only one step's float rounding separates them; its betas are the float-rounded
     * ones the kernel uses (an exact Adam with β = (float) β).
     */
    private static void checkAdam(DType dt, double lr, double b1, double b2, double eps, double wd) {
        Var p = Var.param(Tensor.of(P0.clone(), 5).to(dt));
        Adam opt = new Adam(List.of(p), lr, b1, b2, eps, wd);
        double[] rp = P0.clone();
        double[] m = new double[5];
        double[] v = new double[5];
        boolean f64 = dt == DType.FLOAT64;
        for (int t = 1; t <= 6; t++) {
            quadraticBackward(p);
            double[] g = f64 ? refGrad(rp) : p.grad().toDoubleArray();
            if (!f64) {
                rp = p.value().toDoubleArray();
            }
            opt.step();
            refAdam(rp, g, m, v, t, lr, f64 ? b1 : (float) b1, f64 ? b2 : (float) b2, eps, wd);
            for (int i = 0; i < 5; i++) {
                double tol = f64 ? 1e-12 : 1e-6 * Math.max(1, Math.abs(rp[i]));
                assertThat(p.value().getDouble(i)).as("%s wd=%s step %d param %d", dt, wd, t, i).isCloseTo(rp[i], within(tol));
            }
        }
        assertThat(opt.steps()).isEqualTo(6);
        // the exported state is the moment estimates
        for (int i = 0; i < 5; i++) {
            assertThat(opt.state().get("exp_avg.0").getDouble(i)).isCloseTo(m[i], within(f64 ? 1e-12 : 1e-6));
            assertThat(opt.state().get("exp_avg_sq.0").getDouble(i)).isCloseTo(v[i], within(f64 ? 1e-12 : 1e-6 * v[i]));
        }
    }

    @Test
    void adamMatchesReferenceIncludingBiasCorrection() {
        for (DType dt : DType.values()) {
            checkAdam(dt, 0.1, 0.9, 0.999, 1e-8, 0);
            checkAdam(dt, 0.05, 0.8, 0.99, 1e-3, 0);
        }
        // first step moves each coordinate by ≈ lr against the gradient sign (bias correction makes m̂/√v̂ = ±1)
        Var p = Var.param(Tensor.of(P0.clone(), 5));
        Adam opt = new Adam(List.of(p), 0.01);
        quadraticBackward(p);
        opt.step();
        for (int i = 0; i < 5; i++) {
            assertThat(p.value().getDouble(i)).isCloseTo(P0[i] - 0.01 * Math.signum(A[i] * (P0[i] - C[i])), within(1e-8));
        }
    }

    /**
     * After one step from a zero moment state, m̂/√v̂ = sign(g) exactly, so every coordinate moves by lr (to a
     * few float ulps: the kernel folds the bias corrections into multipliers),
     * in float32 as well: the bias corrections must match the moment decay the float kernel applies
     * (β2 = 0.999 rounds to 0.99900001287f, so 1 − β2 in float is 1.3e-5 off; 1.7e-4 for β2 = 0.9999).
     */
    @Test
    void firstAdamStepMovesEachCoordinateByTheLearningRate() {
        for (DType dt : DType.values()) {
            for (double b2 : new double[] {0.999, 0.9999, 0.95}) {
                Var p = Var.param(Tensor.zeros(dt, 4));
                p.setGrad(Tensor.of(new double[] {3.0, -0.02, 1e-3, -50}, 4).to(dt));
                new Adam(List.of(p), 0.01, 0.9, b2, 1e-12, 0).step();
                double[] expected = {-0.01, 0.01, -0.01, 0.01};
                for (int i = 0; i < 4; i++) {
                    assertThat(p.value().getDouble(i)).as("%s beta2=%s coordinate %d", dt, b2, i).isCloseTo(expected[i], within(5e-9));
                }
            }
        }
    }

    @Test
    void adamWDecayIsDecoupled() {
        checkAdam(DType.FLOAT64, 0.1, 0.9, 0.999, 1e-8, 0.05);
        checkAdam(DType.FLOAT32, 0.1, 0.9, 0.999, 1e-8, 0.05);
        // with a zero gradient only the decay acts: p ← p·(1 − lr·λ), independent of the moments
        for (DType dt : DType.values()) {
            Var p = Var.param(Tensor.of(P0.clone(), 5).to(dt));
            p.setGrad(Tensor.zeros(dt, 5));
            Adam opt = Adam.adamW(List.of(p), 0.1, 0.2);
            opt.step();
            opt.step();
            for (int i = 0; i < 5; i++) {
                assertThat(p.value().getDouble(i)).isCloseTo(P0[i] * 0.98 * 0.98, within(1e-6));
            }
        }
        // decoupled: the decay is not rescaled by the adaptive denominator (L2-in-the-gradient would be)
        Var big = Var.param(Tensor.of(new double[] {10.0}, 1));
        big.setGrad(Tensor.of(new double[] {1e-3}, 1));
        Adam.adamW(List.of(big), 0.1, 0.01).step();
        assertThat(big.value().getDouble(0)).isCloseTo(10.0 * (1 - 0.1 * 0.01) - 0.1, within(1e-6));
    }

    @Test
    void parametersWithoutGradientsAreSkipped() {
        Var p = Var.param(Tensor.of(P0.clone(), 5));
        Var q = Var.param(Tensor.of(P0.clone(), 5));
        Adam opt = new Adam(List.of(p, q), 0.1);
        quadraticBackward(p);
        opt.step();
        assertThat(q.value().toDoubleArray()).isEqualTo(P0);
        assertThat(p.value().toDoubleArray()).isNotEqualTo(P0);
        assertThatThrownBy(() -> new Adam(List.of(p), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Adam(List.of(p), 0.1, 1.0, 0.999, 1e-8, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void checkSgd(DType dt, double lr, double mu, double wd, boolean nesterov) {
        Var p = Var.param(Tensor.of(P0.clone(), 5).to(dt));
        Sgd opt = new Sgd(List.of(p), lr, mu, wd, nesterov);
        double[] rp = P0.clone();
        double[] buf = null;
        double tol = dt == DType.FLOAT64 ? 1e-12 : 2e-6;
        for (int t = 1; t <= 6; t++) {
            quadraticBackward(p);
            opt.step();
            double[] g = refGrad(rp);
            for (int i = 0; i < 5; i++) {
                g[i] += wd * rp[i];
            }
            double[] step = g.clone();
            if (mu != 0) {
                if (buf == null) {
                    buf = g.clone();
                } else {
                    for (int i = 0; i < 5; i++) {
                        buf[i] = mu * buf[i] + g[i];
                    }
                }
                for (int i = 0; i < 5; i++) {
                    step[i] = nesterov ? g[i] + mu * buf[i] : buf[i];
                }
            }
            for (int i = 0; i < 5; i++) {
                rp[i] -= lr * step[i];
                assertThat(p.value().getDouble(i)).as("sgd %s mu=%s wd=%s nesterov=%s step %d", dt, mu, wd, nesterov, t)
                        .isCloseTo(rp[i], within(tol));
            }
        }
    }

    @Test
    void sgdMatchesReferenceFormulas() {
        for (DType dt : DType.values()) {
            checkSgd(dt, 0.1, 0, 0, false);
            checkSgd(dt, 0.1, 0.9, 0, false);
            checkSgd(dt, 0.05, 0.9, 0.01, false);
            checkSgd(dt, 0.1, 0.8, 0, true);
            checkSgd(dt, 0.05, 0.5, 0.1, true);
        }
        assertThatThrownBy(() -> new Sgd(List.of(), 0.1, 0, 0, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void adamConvergesOnLeastSquares() {
        Rng rng = new Rng(3);
        int n = 200;
        int d = 4;
        Tensor x = rng.normal(DType.FLOAT64, n, d);
        Tensor beta = Tensor.of(new double[] {1.5, -2.0, 0.25, 3.0}, d, 1);
        Tensor y = x.matmul(beta).add(rng.normal(DType.FLOAT64, n, 1).mul(0.1));
        // exact least-squares solution from the normal equations (Gaussian elimination)
        double[][] aug = new double[d][d + 1];
        Tensor xtx = x.matmul(x, true, false);
        Tensor xty = x.matmul(y, true, false);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                aug[i][j] = xtx.get(i, j);
            }
            aug[i][d] = xty.get(i, 0);
        }
        for (int c = 0; c < d; c++) {
            for (int r = c + 1; r < d; r++) {
                double f = aug[r][c] / aug[c][c];
                for (int k = c; k <= d; k++) {
                    aug[r][k] -= f * aug[c][k];
                }
            }
        }
        double[] sol = new double[d];
        for (int r = d - 1; r >= 0; r--) {
            double s = aug[r][d];
            for (int k = r + 1; k < d; k++) {
                s -= aug[r][k] * sol[k];
            }
            sol[r] = s / aug[r][r];
        }
        Var w = Var.param(Tensor.zeros(DType.FLOAT64, d, 1));
        Adam opt = new Adam(List.of(w), 0.05);
        LrSchedule sched = LrSchedule.cosine(0.05, 1500, 50, 1e-4);
        for (int s = 0; s < 1500; s++) {
            sched.apply(opt, s);
            opt.zeroGrad();
            Var.constant(x).matmul(w).mse(Var.constant(y)).backward();
            opt.step();
        }
        for (int i = 0; i < d; i++) {
            assertThat(w.value().getDouble(i)).isCloseTo(sol[i], within(1e-4));
        }
    }

    @Test
    void clipNormScalesToMaxNormAndReturnsThePreClipNorm() {
        Var a = Var.param(Tensor.zeros(DType.FLOAT32, 2, 2));
        Var b = Var.param(Tensor.zeros(DType.FLOAT64, 3));
        Var none = Var.param(Tensor.zeros(DType.FLOAT32, 2));
        a.setGrad(Tensor.of(new float[] {3, 0, 0, 4}, 2, 2));      // norm 5
        b.setGrad(Tensor.of(new double[] {0, 12, 0}, 3));           // total norm 13
        List<Var> ps = List.of(a, b, none);
        assertThat(GradientClipping.globalNorm(ps)).isCloseTo(13, within(1e-12));
        double pre = GradientClipping.clipNorm(ps, 1.3);
        assertThat(pre).isCloseTo(13, within(1e-12));
        assertThat(GradientClipping.globalNorm(ps)).isCloseTo(1.3, within(1e-6));
        assertThat(a.grad().getDouble(3) / b.grad().getDouble(1)).as("direction kept").isCloseTo(4.0 / 12, within(1e-6));
        // below the threshold nothing changes
        double[] before = b.grad().toDoubleArray();
        assertThat(GradientClipping.clipNorm(ps, 100)).isCloseTo(1.3, within(1e-6));
        assertThat(b.grad().toDoubleArray()).isEqualTo(before);
        // non-finite norms are reported and nothing is scaled
        b.grad().setDouble(0, Double.NaN);
        assertThat(GradientClipping.clipNorm(ps, 1.0)).isNaN();
        assertThat(a.grad().getDouble(3)).isCloseTo(0.4, within(1e-6));
        assertThatThrownBy(() -> GradientClipping.clipNorm(ps, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emaFollowsItsFormula() {
        for (DType dt : DType.values()) {
            Var p = Var.param(Tensor.of(P0.clone(), 5).to(dt));
            Ema ema = new Ema(List.of(p), 0.9);
            double[] s = P0.clone();
            assertThat(ema.shadow().get(0).toDoubleArray()).isEqualTo(p.value().toDoubleArray());
            Rng rng = new Rng(4);
            for (int step = 0; step < 5; step++) {
                Tensor np = rng.normal(dt, 5);
                p.value().copyFromInPlace(np);
                ema.update();
                for (int i = 0; i < 5; i++) {
                    s[i] = 0.9 * s[i] + 0.1 * np.getDouble(i);
                    assertThat(ema.shadow().get(0).getDouble(i)).isCloseTo(s[i], within(dt == DType.FLOAT64 ? 1e-14 : 1e-6));
                }
            }
            double[] cur = p.value().toDoubleArray();
            double[] avg = ema.shadow().get(0).toDoubleArray();
            ema.swap();
            assertThat(p.value().toDoubleArray()).isEqualTo(avg);
            assertThat(ema.shadow().get(0).toDoubleArray()).isEqualTo(cur);
            ema.swap();
            assertThat(p.value().toDoubleArray()).isEqualTo(cur);
            ema.copyToParameters();
            assertThat(p.value().toDoubleArray()).isEqualTo(avg);
        }
        assertThatThrownBy(() -> new Ema(List.of(), 1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void learningRateSchedules() {
        assertThat(LrSchedule.constant(0.3).at(12345)).isEqualTo(0.3);
        LrSchedule w = LrSchedule.linearWarmup(1.0, 4);
        assertThat(new double[] {w.at(0), w.at(1), w.at(2), w.at(3), w.at(4), w.at(100)}).containsExactly(0.25, 0.5, 0.75, 1, 1, 1);
        assertThat(LrSchedule.linearWarmup(0.5, 0).at(0)).isEqualTo(0.5);
        double base = 1e-3;
        double min = 1e-5;
        LrSchedule c = LrSchedule.cosine(base, 110, 10, min);
        assertThat(c.at(0)).isCloseTo(base / 10, within(1e-15));
        assertThat(c.at(9)).isCloseTo(base, within(1e-15));
        assertThat(c.at(10)).isCloseTo(base, within(1e-15));
        assertThat(c.at(60)).isCloseTo((base + min) / 2, within(1e-15));
        assertThat(c.at(110)).isCloseTo(min, within(1e-15));
        assertThat(c.at(500)).isCloseTo(min, within(1e-15));
        for (long s = 10; s < 110; s++) {
            assertThat(c.at(s + 1)).isLessThanOrEqualTo(c.at(s));
        }
        LrSchedule c0 = LrSchedule.cosine(1.0, 4, 0, 0);
        assertThat(c0.at(0)).isEqualTo(1.0);
        assertThat(c0.at(2)).isCloseTo(0.5, within(1e-15));
        assertThatThrownBy(() -> LrSchedule.cosine(1, 10, 10, 0)).isInstanceOf(IllegalArgumentException.class);
        Var p = Var.param(Tensor.zeros(DType.FLOAT32, 1));
        Sgd sgd = new Sgd(List.of(p), 1);
        c.apply(sgd, 110);
        assertThat(sgd.learningRate()).isCloseTo(min, within(1e-15));
    }

    private static List<float[]> train(long seed) {
        Rng rng = new Rng(seed);
        Mlp mlp = new Mlp(2, 32, 2, 2, Activation.SILU, DType.FLOAT32, rng.split());
        Adam opt = Adam.adamW(mlp.parameters(), 3e-3, 1e-4);
        Rng data = rng.split();
        for (int step = 0; step < 100; step++) {
            Tensor x = data.normal(DType.FLOAT32, 64, 2);
            Tensor y = x.mul(x).add(data.normal(DType.FLOAT32, 64, 2).mul(0.1));
            opt.zeroGrad();
            mlp.forward(Var.constant(x)).mse(Var.constant(y)).backward();
            GradientClipping.clipNorm(mlp.parameters(), 1.0);
            opt.step();
        }
        List<float[]> out = new ArrayList<>();
        for (Var p : mlp.parameters()) {
            out.add(p.value().floatData().clone());
        }
        return out;
    }

    @Test
    void identicalTrainingLoopsGiveBitIdenticalParameters() {
        List<float[]> a = train(77);
        List<float[]> b = train(77);
        List<float[]> c = train(78);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).isEqualTo(b.get(i));
        }
        assertThat(a.get(0)).isNotEqualTo(c.get(0));
    }

    @Test
    void adamSlicesInAnyOrderEqualItsWholeStep() {
        for (DType dt : DType.values()) {
            Rng rng = new Rng(11);
            List<Var> whole = new ArrayList<>();
            List<Var> sliced = new ArrayList<>();
            for (int n : new int[] {37, 5, 1000}) {
                Tensor v0 = rng.normal(dt, n);
                whole.add(Var.param(v0.copy()));
                sliced.add(Var.param(v0.copy()));
            }
            Adam a = Adam.adamW(whole, 0.05, 0.01);
            Adam b = Adam.adamW(sliced, 0.05, 0.01);
            for (int step = 0; step < 4; step++) {
                for (int i = 0; i < whole.size(); i++) {
                    Tensor g = rng.normal(dt, whole.get(i).value().numel());
                    whole.get(i).setGrad(g.copy());
                    sliced.get(i).setGrad(g.copy());
                }
                a.step();
                b.beginStep();
                // uneven slices, the last parameter first and its slices from the end
                for (int i = sliced.size() - 1; i >= 0; i--) {
                    int n = sliced.get(i).value().numel();
                    int[] cuts = {0, n / 7, n / 2 + 1, n};
                    for (int c = cuts.length - 2; c >= 0; c--) {
                        b.updateSlice(i, Math.min(cuts[c], n), Math.min(cuts[c + 1], n));
                    }
                }
                for (int i = 0; i < whole.size(); i++) {
                    assertThat(sliced.get(i).value().toDoubleArray()).as("%s parameter %d step %d", dt, i, step)
                            .isEqualTo(whole.get(i).value().toDoubleArray());
                }
            }
            assertThat(b.steps()).isEqualTo(a.steps());
            assertThatThrownBy(() -> b.updateSlice(3, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("parameter 3 of 3");
            assertThatThrownBy(() -> b.updateSlice(1, 2, 6)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("range [2, 6) of parameter 1 with 5 elements");
        }
    }
}
