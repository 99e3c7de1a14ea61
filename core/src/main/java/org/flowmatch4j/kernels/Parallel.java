package org.flowmatch4j.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * A fixed-size, low-latency worker pool for data-parallel kernels.
 *
 * <p>{@link #forEachChunk(int, IntConsumer)} runs {@code body.accept(c)} for every chunk
 * {@code c} in {@code [0, chunks)} and returns when all have finished. Scheduling is deterministic:
 * chunk {@code c} runs on worker {@code c % threads()}, and the calling thread is worker 0. Workers
 * are daemon threads that spin briefly ({@link Thread#onSpinWait()}, about {@value #SPIN_NANOS} ns)
 * after each job and then park, so back-to-back calls cost a few microseconds.
 *
 * <p>The call runs inline (on the caller, chunks in order) when {@code chunks == 1}, when
 * {@code threads() == 1}, when it is made from inside a chunk (re-entrant use), or when another
 * thread is currently using the pool. An exception thrown by any chunk is rethrown in the caller
 * after all chunks have finished (the first one observed; the others are added as suppressed).
 */
public final class Parallel {
    private Parallel() {}

    /** How long an idle worker spins before parking. */
    static final long SPIN_NANOS = 50_000L;

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static Worker[] workers = new Worker[0];   // guarded by LOCK
    private static volatile Job current;

    /**
     * Sets the number of worker threads (including the caller).
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        LOCK.lock();
        try {
            if (n == threads) return;
            for (Worker w : workers) {
                w.stop = true;
                LockSupport.unpark(w);
            }
            workers = new Worker[0];
            threads = n;
        } finally {
            LOCK.unlock();
        }
    }

    /** The number of threads used by {@link #forEachChunk}, including the caller. */
    public static int threads() {
        return threads;
    }

    /** Whether the current thread is inside a chunk (then a nested call runs inline). */
    public static boolean inParallelRegion() {
        return Thread.currentThread() instanceof Worker || LOCK.isHeldByCurrentThread();
    }

    /**
     * Runs {@code body} for chunks {@code 0 .. chunks-1}; chunk c on worker c % threads(); blocks
     * until all are done and rethrows the first exception.
     */
    public static void forEachChunk(int chunks, IntConsumer body) {
        if (chunks <= 0) return;
        int t = threads;
        if (chunks == 1 || t == 1 || Thread.currentThread() instanceof Worker || LOCK.isHeldByCurrentThread()
                || !LOCK.tryLock()) {
            runInline(chunks, body);
            return;
        }
        try {
            t = threads;
            int active = Math.min(t, chunks);
            if (active == 1) {
                runInline(chunks, body);
                return;
            }
            Worker[] ws = ensureWorkers(t);
            Job job = new Job(body, chunks, t, active - 1, ws);
            current = job;
            for (int w = 1; w < active; w++) {
                Worker wk = ws[w - 1];
                if (wk.parked) LockSupport.unpark(wk);
            }
            Throwable mine = null;
            for (int c = 0; c < chunks; c += t) {
                try {
                    body.accept(c);
                } catch (Throwable e) {
                    mine = e;
                    break;
                }
            }
            job.awaitDone();
            Throwable err = job.error.get();
            if (mine != null) {
                if (err != null && err != mine) mine.addSuppressed(err);
                rethrow(mine);
            }
            if (err != null) rethrow(err);
        } finally {
            LOCK.unlock();
        }
    }

    private static void runInline(int chunks, IntConsumer body) {
        for (int c = 0; c < chunks; c++) body.accept(c);
    }

    private static void rethrow(Throwable e) {
        if (e instanceof RuntimeException) throw (RuntimeException) e;
        if (e instanceof Error) throw (Error) e;
        throw new RuntimeException(e);
    }

    private static Worker[] ensureWorkers(int t) {
        if (workers.length != t - 1) {
            Worker[] ws = new Worker[t - 1];
            for (int i = 0; i < ws.length; i++) {
                ws[i] = new Worker(i + 1, current);
                ws[i].start();
            }
            workers = ws;
        }
        return workers;
    }

    private static final class Job {
        final IntConsumer body;
        final int chunks;
        final int threads;
        final AtomicInteger pending;
        /** The worker set this job is meant for (stale workers of an older pool ignore it). */
        final Worker[] pool;
        final AtomicReference<Throwable> error = new AtomicReference<>();
        volatile Thread waiter;

        Job(IntConsumer body, int chunks, int threads, int pending, Worker[] pool) {
            this.body = body;
            this.pool = pool;
            this.chunks = chunks;
            this.threads = threads;
            this.pending = new AtomicInteger(pending);
        }

        void done() {
            if (pending.decrementAndGet() == 0) {
                Thread w = waiter;
                if (w != null) LockSupport.unpark(w);
            }
        }

        void awaitDone() {
            long start = 0;
            int spins = 0;
            while (pending.get() != 0) {
                if (++spins < 1024) {
                    Thread.onSpinWait();
                    continue;
                }
                spins = 0;
                if (start == 0) start = System.nanoTime();
                else if (System.nanoTime() - start > SPIN_NANOS * 4) {
                    waiter = Thread.currentThread();
                    while (pending.get() != 0) LockSupport.parkNanos(this, 1_000_000L);
                    return;
                }
            }
        }
    }

    private static final class Worker extends Thread {
        final int index;
        volatile boolean parked;
        volatile boolean stop;
        Job seen;

        Worker(int index, Job initial) {
            super("flowmatch-kernel-" + index);
            this.index = index;
            this.seen = initial;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!stop) {
                Job job = await();
                if (job == null) return;
                if (job.pool == null || index > job.pool.length || job.pool[index - 1] != this) continue;
                if (index >= job.chunks) continue;
                try {
                    for (int c = index; c < job.chunks; c += job.threads) job.body.accept(c);
                } catch (Throwable e) {
                    if (!job.error.compareAndSet(null, e)) job.error.get().addSuppressed(e);
                } finally {
                    job.done();
                }
            }
        }

        private Job await() {
            long start = System.nanoTime();
            int spins = 0;
            while (true) {
                Job j = current;
                if (j != seen) {
                    seen = j;
                    return j;
                }
                if (stop) return null;
                if (++spins < 256) {
                    Thread.onSpinWait();
                    continue;
                }
                spins = 0;
                if (System.nanoTime() - start < SPIN_NANOS) continue;
                parked = true;
                if (current == seen && !stop) LockSupport.park(this);
                parked = false;
            }
        }
    }
}
