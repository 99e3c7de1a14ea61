package org.flowmatch4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.flowmatch4j.autodiff.Autograd;
import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MlpEvaluatorTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(savedThreads);
    }

    private static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        rng.fillNormal(a, 0, n);
        return a;
    }

    @Test
    void forwardAndJvpMatchTheAutodiffGraph() {
        for (Activation act : new Activation[] {Activation.SILU, Activation.TANH, Activation.SELU, Activation.GELU}) {
            Rng rng = new Rng(3);
          // 37 rows in chunks of 16: partial tiles only; 1000 rows: full tiles and one chunk per thread
          for (int[] rc : new int[][] {{37, 16}, {1000, 2048}}) {
            Mlp mlp = new Mlp(3, 24, 2, 3, act, DType.FLOAT32, rng);
            int rows = rc[0];
            MlpEvaluator ev = new MlpEvaluator(mlp, rc[1], 2);
            float[] x = random(rng, rows * 3);
            float[][] tin = {random(rng, rows * 3), random(rng, rows * 3)};
            float[] out = new float[rows * 2];
            float[][] tout = {new float[rows * 2], new float[rows * 2]};
            ev.forwardJvp(x, rows, out, tin, tout, 2);

            float[] plain = new float[rows * 2];
            ev.forward(x, rows, plain); // no tangents: the activations overwrite the pre-activations in place

            Var in = Var.param(Tensor.of(x.clone(), rows, 3));
            Var y = mlp.forward(in);
            for (int i = 0; i < rows * 2; i++) {
                assertThat((double) out[i]).as("%s out %d", act, i).isCloseTo(y.value().getDouble(i), within(1e-5));
                assertThat((double) plain[i]).as("%s forward %d", act, i).isCloseTo(y.value().getDouble(i), within(1e-5));
            }
            for (int j = 0; j < 2; j++) {
                Var jv = Autograd.jvp(y, in, Var.constant(Tensor.of(tin[j].clone(), rows, 3)), false);
                for (int i = 0; i < rows * 2; i++) {
                    assertThat((double) tout[j][i]).as("%s jvp %d %d", act, j, i).isCloseTo(jv.value().getDouble(i), within(2e-4));
                }
            }
          }
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Rng rng = new Rng(9);
        for (Activation act : new Activation[] {Activation.SILU, Activation.SELU}) {
            Mlp mlp = new Mlp(3, 32, 2, 2, act, DType.FLOAT32, rng);
            int rows = 1001; // one chunk per thread: the split, and so the partial tiles, move with the thread count
            float[] x = random(rng, rows * 3);
            float[][] tin = {random(rng, rows * 3)};
            float[][] results = new float[3][];
            float[][] tangents = new float[3][];
            for (int t = 1; t <= 3; t++) {
                Parallel.setThreads(t);
                MlpEvaluator ev = new MlpEvaluator(mlp, 2048, 1);
                results[t - 1] = new float[rows * 2];
                tangents[t - 1] = new float[rows * 2];
                ev.forwardJvp(x, rows, results[t - 1], tin, new float[][] {tangents[t - 1]}, 1);
            }
            for (int t = 2; t <= 3; t++) {
                assertThat(results[t - 1]).as("%s, %d threads", act, t).containsExactly(results[0]);
                assertThat(tangents[t - 1]).as("%s, %d threads", act, t).containsExactly(tangents[0]);
            }
        }
    }

    @Test
    void rejectsTooManyTangentsAndShortBuffers() {
        Mlp mlp = new Mlp(3, 8, 2, 1, Activation.RELU, DType.FLOAT32, new Rng(1));
        MlpEvaluator ev = new MlpEvaluator(mlp, 8, 1);
        assertThatThrownBy(() -> ev.forwardJvp(new float[6], 2, new float[4], new float[2][6], new float[2][4], 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 tangents");
        assertThatThrownBy(() -> ev.forward(new float[5], 2, new float[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too small");
    }
}
