package org.flowmatch4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OpsTest {
    static float[] rand(Random r, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * scale);
        return x;
    }

    @Test
    void activationForwardAndBackwardMatchDoubleReference() {
        Random r = new Random(1);
        for (KernelBackend kb : GemmTest.backends()) {
            for (Activation act : Activation.values()) {
                int n = 1037;
                float[] z = rand(r, n, 4);
                z[0] = 25f;
                z[1] = -30f;
                z[2] = 0f;
                float[] g = rand(r, n, 1);
                float[] out = new float[n], gi = new float[n];
                kb.activationForward(act, z, out, n);
                kb.activationBackward(act, z, g, gi, n);
                for (int i = 0; i < n; i++) {
                    double y = act.apply(z[i]), d = g[i] * act.derivative(z[i]);
                    assertThat((double) out[i]).as("%s %s(%s)", kb.name(), act, z[i]).isCloseTo(y, within(3e-6 * Math.abs(y) + 1e-6));
                    assertThat((double) gi[i]).as("%s %s'(%s)", kb.name(), act, z[i]).isCloseTo(d, within(3e-6 * Math.abs(d) + 1e-6));
                }
                float[] alias = g.clone();
                kb.activationBackward(act, z, alias, alias, n);
                assertThat(alias).containsExactly(gi);
            }
        }
    }

    @Test
    void adamMatchesDoubleReference() {
        Random r = new Random(2);
        for (KernelBackend kb : GemmTest.backends()) {
            for (float wd : new float[] {0f, 0.01f}) {
                int n = 1001;
                float[] p = rand(r, n, 1), m = rand(r, n, 0.1), v = new float[n], g = rand(r, n, 1);
                for (int i = 0; i < n; i++) v[i] = Math.abs(r.nextFloat()) * 0.01f;
                double[] pd = new double[n], md = new double[n], vd = new double[n];
                for (int i = 0; i < n; i++) {
                    pd[i] = p[i];
                    md[i] = m[i];
                    vd[i] = v[i];
                }
                float lr = 1e-3f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
                float bc1 = (float) (1 - Math.pow(b1, 3)), bc2 = (float) (1 - Math.pow(b2, 3));
                kb.adamUpdate(p, g, m, v, 0, n, lr, b1, b2, bc1, bc2, eps, wd);
                for (int i = 0; i < n; i++) {
                    md[i] = (double) b1 * md[i] + (1 - (double) b1) * g[i];
                    vd[i] = (double) b2 * vd[i] + (1 - (double) b2) * g[i] * g[i];
                    pd[i] -= lr * ((md[i] / bc1) / (Math.sqrt(vd[i] / bc2) + eps) + wd * pd[i]);
                    assertThat((double) m[i]).isCloseTo(md[i], within(1e-6 * (1 + Math.abs(md[i]))));
                    assertThat((double) v[i]).isCloseTo(vd[i], within(1e-6 * (1e-3 + Math.abs(vd[i]))));
                    assertThat((double) p[i]).isCloseTo(pd[i], within(1e-6 * (1 + Math.abs(pd[i]))));
                }
            }
        }
    }

    @Test
    void reductionsAndAxpy() {
        Random r = new Random(3);
        for (KernelBackend kb : GemmTest.backends()) {
            int rows = 37, cols = 45;
            float[] x = rand(r, rows * cols, 1), out = rand(r, cols, 1), out0 = out.clone();
            kb.columnSums(x, rows, cols, out, true);
            float[] fresh = new float[cols];
            kb.columnSums(x, rows, cols, fresh, false);
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int i = 0; i < rows; i++) s += x[i * cols + j];
                assertThat((double) fresh[j]).isCloseTo(s, within(1e-5));
                assertThat((double) out[j]).isCloseTo(s + out0[j], within(1e-5));
            }
            int n = 1003;
            float[] a = rand(r, n + 5, 1), b = rand(r, n + 7, 1);
            double dot = 0, ss = 0;
            for (int i = 0; i < n; i++) {
                dot += (double) a[i + 2] * b[i + 4];
                ss += (double) a[i + 1] * a[i + 1];
            }
            assertThat((double) kb.dot(a, 2, b, 4, n)).isCloseTo(dot, within(1e-4));
            assertThat((double) kb.sumOfSquares(a, 1, n)).isCloseTo(ss, within(1e-6 * ss));
            float[] y = b.clone();
            kb.axpy(n, 0.5f, a, 2, y, 4);
            for (int i = 0; i < n; i++) assertThat(y[i + 4]).isEqualTo(b[i + 4] + 0.5f * a[i + 2]);
            assertThat(y[0]).isEqualTo(b[0]);
        }
    }

    @Test
    void kernelsSelection() {
        assertThat(Kernels.scalar().name()).isEqualTo("scalar");
        Kernels.vector().ifPresent(v -> assertThat(v.name()).isEqualTo("vector"));
        assertThat(Kernels.get()).isNotNull();
        assertThat(Kernels.vector()).isPresent();   // surefire runs with --add-modules jdk.incubator.vector
        assertThat(Kernels.get().name()).isEqualTo("vector");
    }
}
