package org.flowmatch4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link VectorTranspose#block}: every column of a 16-column block, lanes past the rows repeating the last row. */
class VectorTransposeTest {
    @Test
    void writesEachColumnAsOneStoreInAscendingOrder() {
        assumeTrue(Kernels.vector().isPresent() && VectorTranspose.AVAILABLE, "needs 16-lane vectors");
        Random r = new Random(7);
        int ld = 37, s = 5;
        float[] src = new float[s + 16 * ld + 16];
        for (int i = 0; i < src.length; i++) src[i] = r.nextFloat();
        for (int rows : new int[] {1, 5, 12, 16}) {
            for (int stride : new int[] {12, 16, 32}) {
                int d = 3;
                float[] dst = new float[d + 15 * stride + 16 + 4];
                java.util.Arrays.fill(dst, Float.NaN);
                VectorTranspose.block(src, s, ld, rows, dst, d, stride);
                for (int p = 0; p < 16; p++) {
                    // a store's lanes past the stride are overwritten by the next column's, except the last one's
                    int lanes = p == 15 ? 16 : Math.min(16, stride);
                    for (int lane = 0; lane < lanes; lane++) {
                        float expected = src[s + Math.min(lane, rows - 1) * ld + p];
                        assertThat(dst[d + p * stride + lane]).as("rows %d stride %d column %d lane %d", rows, stride, p, lane)
                                .isEqualTo(expected);
                    }
                }
                assertThat(dst[0]).isNaN();
                assertThat(dst[d + 15 * stride + 16]).isNaN();
            }
        }
    }
}
