package org.flowmatch4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    private final int saved = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @Test
    void runsEveryChunkOnceAndMapsChunksToWorkersDeterministically() {
        Parallel.setThreads(3);
        for (int rep = 0; rep < 200; rep++) {
            int chunks = 1 + rep % 10;
            AtomicIntegerArray seen = new AtomicIntegerArray(chunks);
            ConcurrentHashMap<Integer, Thread> who = new ConcurrentHashMap<>();
            Thread caller = Thread.currentThread();
            Parallel.forEachChunk(chunks, c -> {
                seen.incrementAndGet(c);
                who.put(c, Thread.currentThread());
            });
            for (int c = 0; c < chunks; c++) {
                assertThat(seen.get(c)).isEqualTo(1);
                assertThat(who.get(c) == who.get(c % 3)).isTrue();
                if (c % 3 == 0) assertThat(who.get(c)).isSameAs(caller);
                else if (chunks > 1) assertThat(who.get(c)).isNotSameAs(caller);
            }
        }
    }

    @Test
    void exceptionsPropagateFromWorkersAndCaller() {
        Parallel.setThreads(2);
        assertThatThrownBy(() -> Parallel.forEachChunk(4, c -> {
            if (c == 3) throw new IllegalStateException("boom " + c);
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom 3");
        assertThatThrownBy(() -> Parallel.forEachChunk(4, c -> {
            if (c == 0) throw new ArithmeticException("caller");
        })).isInstanceOf(ArithmeticException.class);
        // the pool still works afterwards
        AtomicInteger n = new AtomicInteger();
        Parallel.forEachChunk(5, c -> n.incrementAndGet());
        assertThat(n.get()).isEqualTo(5);
    }

    @Test
    void nestedCallsRunInline() {
        Parallel.setThreads(2);
        AtomicInteger n = new AtomicInteger();
        Parallel.forEachChunk(4, c -> Parallel.forEachChunk(3, d -> n.incrementAndGet()));
        assertThat(n.get()).isEqualTo(12);
    }

    @Test
    void setThreadsValidates() {
        assertThatThrownBy(() -> Parallel.setThreads(0)).isInstanceOf(IllegalArgumentException.class);
        Parallel.setThreads(1);
        assertThat(Parallel.threads()).isEqualTo(1);
        AtomicInteger n = new AtomicInteger();
        Parallel.forEachChunk(7, c -> n.incrementAndGet());
        assertThat(n.get()).isEqualTo(7);
    }

    @Test
    void manyBackToBackDispatchesAreFast() {
        Parallel.setThreads(2);
        AtomicInteger n = new AtomicInteger();
        long t0 = System.nanoTime();
        for (int i = 0; i < 20_000; i++) Parallel.forEachChunk(2, c -> n.incrementAndGet());
        long perCall = (System.nanoTime() - t0) / 20_000;
        assertThat(n.get()).isEqualTo(40_000);
        System.out.println("Parallel dispatch: " + perCall + " ns/call");
    }
}
