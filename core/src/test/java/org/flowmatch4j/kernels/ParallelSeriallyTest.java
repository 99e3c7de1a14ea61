package org.flowmatch4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** {@link Parallel#serially}: chunks run inline on the caller, in order, and the pool works as before afterwards. */
class ParallelSeriallyTest {
    @Test
    void chunksRunOnTheCallerInOrderInsideAndSpreadAgainAfter() {
        int old = Parallel.threads();
        Parallel.setThreads(3);
        try {
            Thread me = Thread.currentThread();
            Thread[] ran = new Thread[6];
            int[] order = new int[6];
            int[] next = {0};
            Parallel.serially(() -> {
                assertThat(Parallel.inParallelRegion()).isTrue();
                Parallel.forEachChunk(6, c -> {
                    ran[c] = Thread.currentThread();
                    order[next[0]++] = c;
                });
            });
            assertThat(ran).containsOnly(me);
            assertThat(order).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(Parallel.inParallelRegion()).isFalse();
            // outside, chunk c runs on worker c % threads: chunks 1 and 2 leave the caller
            Arrays.fill(ran, null);
            Parallel.forEachChunk(6, c -> ran[c] = Thread.currentThread());
            assertThat(ran[0]).isSameAs(me);
            assertThat(ran[1]).isNotSameAs(me);
            assertThat(ran[2]).isNotSameAs(me).isNotSameAs(ran[1]);
        } finally {
            Parallel.setThreads(old);
        }
    }

    @Test
    void exceptionsPropagateAndReleaseThePool() {
        assertThatThrownBy(() -> Parallel.serially(() -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(Parallel.inParallelRegion()).isFalse();
    }
}
