package org.flowmatch4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link KernelBackend#dotRows}: the dot products of two matrices' rows, against a double-precision loop. */
class DotRowsTest {
    @Test
    void matchesADoubleLoopForEveryShapeAndOutputLayout() {
        Random r = new Random(5);
        for (KernelBackend kb : GemmTest.backends()) {
            for (int m : new int[] {1, 3, 4, 5, 9, 16}) {
                for (int nb : new int[] {1, 2, 3}) {
                    for (int n : new int[] {0, 1, 15, 16, 17, 33, 128}) {
                        for (boolean rowsFirst : new boolean[] {true, false}) {
                            int aOff = 3, bOff = 2, outOff = 1, lda = n + 5, ldb = n + 1;
                            float[] a = GemmTest.rand(r, aOff + m * lda);
                            float[] b = GemmTest.rand(r, bOff + nb * ldb);
                            int ldoI = rowsFirst ? nb : 1;
                            int ldoJ = rowsFirst ? 1 : m;
                            float[] out = new float[outOff + m * nb + 2];
                            kb.dotRows(m, nb, n, a, aOff, lda, b, bOff, ldb, out, outOff, ldoI, ldoJ);
                            for (int i = 0; i < m; i++) {
                                for (int j = 0; j < nb; j++) {
                                    double s = 0, mag = 0;
                                    for (int p = 0; p < n; p++) {
                                        double t = (double) a[aOff + i * lda + p] * b[bOff + j * ldb + p];
                                        s += t;
                                        mag += Math.abs(t);
                                    }
                                    float got = out[outOff + i * ldoI + j * ldoJ];
                                    if (Math.abs(got - s) > 1e-6 * (mag + 1e-30) * Math.max(1, n) + 1e-30) {
                                        fail("%s m=%d nb=%d n=%d (%d,%d): %s, expected %s", kb.name(), m, nb, n, i, j, got, s);
                                    }
                                }
                            }
                            assertThat(out[0]).isZero();
                            assertThat(out[outOff + m * nb]).isZero();
                        }
                    }
                }
            }
        }
    }

    @Test
    void aRowGivesTheSameBitsAloneAsInAGroupOfFour() {
        Random r = new Random(9);
        for (KernelBackend kb : GemmTest.backends()) {
            int m = 7, n = 100;
            float[] a = GemmTest.rand(r, m * n);
            float[] ones = new float[n];
            java.util.Arrays.fill(ones, 1f);
            float[] all = new float[m];
            kb.dotRows(m, 1, n, a, 0, n, ones, 0, 0, all, 0, 1, 0);
            for (int i = 0; i < m; i++) {
                float[] one = new float[1];
                kb.dotRows(1, 1, n, a, i * n, n, ones, 0, 0, one, 0, 1, 0);
                assertThat(one[0]).as("%s row %d", kb.name(), i).isEqualTo(all[i]);
            }
        }
    }

    @Test
    void operandsTooSmallAreNamed() {
        for (KernelBackend kb : GemmTest.backends()) {
            float[] out = new float[8];
            assertThatThrownBy(() -> kb.dotRows(4, 2, 8, new float[31], 0, 8, new float[16], 0, 8, out, 0, 2, 1))
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("A too small");
            assertThatThrownBy(() -> kb.dotRows(4, 2, 8, new float[32], 0, 8, new float[15], 0, 8, out, 0, 2, 1))
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("B too small");
            assertThatThrownBy(() -> kb.dotRows(4, 2, 8, new float[32], 0, 8, new float[16], 0, 8, new float[7], 0, 2, 1))
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("out too small");
            assertThatThrownBy(() -> kb.dotRows(-1, 2, 8, new float[32], 0, 8, new float[16], 0, 8, out, 0, 2, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        }
    }
}
