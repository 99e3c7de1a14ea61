package org.flowmatch4j.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * A fixed-size, low-latency worker pool for data-parallel kernels.
 *
 * <p>{@link #forEachChunk(int, IntConsumer)} runs {@code body.accept(c)} for every chunk
 * {@code c} in {@code [0, chunks)} and returns when all have finished. Scheduling is deterministic:
 * chunk {@code c} runs on worker {@code c % threads()}, and the calling thread is worker 0. Workers
 * are daemon threads that spin briefly ({@link Thread#onSpinWait()}, 500 µs by default, system property
 * {@code flowmatch.parallel.spinNanos})
 * after each job and then park, so back-to-back calls cost a few microseconds.
 *
 * <p>The call runs inline (on the caller, chunks in order) when {@code chunks == 1}, when
 * {@code threads() == 1}, when it is made from inside a chunk (re-entrant use), or when another
 * thread is currently using the pool. An exception thrown by any chunk is rethrown in the caller
 * after all chunks have finished (the first one observed; the others are added as suppressed).
 */
public final class Parallel {
    private Parallel() {}

    /**
     * How long an idle worker spins before parking. Half a millisecond: in a training step the blocks of one region
     * finish up to a few hundred microseconds apart on a shared machine, and a worker parked meanwhile takes tens of
     * microseconds to wake (on a virtual machine, its CPU may have been handed back). At 50 µs, a quarter of 256/256
     * steps found the worker parked at the gradient sum; at 500 µs, 2 % (A/B in one JVM, alternating 100-step chunks,
     * 3 runs: median step 1.3–1.5 % shorter).
     */
    static final long SPIN_NANOS = Long.getLong("flowmatch.parallel.spinNanos", 500_000L);

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static Worker[] workers = new Worker[0];   // guarded by LOCK

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
     * until all are done and rethrows the first exception. Allocates nothing: the job slot is reused.
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
            JOB.body = body;
            JOB.chunks = chunks;
            JOB.threads = t;
            JOB.pool = ws;
            JOB.error = null;
            // every worker acknowledges every job, so none can still be reading this slot when it is reused
            JOB.pending.set(t - 1);
            generation++; // volatile write publishes the job fields above
            for (int w = 1; w < t; w++) {
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
            JOB.awaitDone();
            Throwable err = JOB.error;
            JOB.body = null;
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
                ws[i] = new Worker(i + 1, generation);
                ws[i].start();
            }
            workers = ws;
        }
        return workers;
    }

    /** The single reusable job slot (jobs are serialised by LOCK); fields are published by the volatile generation. */
    private static final Job JOB = new Job();
    private static volatile long generation;

    private static final class Job {
        IntConsumer body;
        int chunks;
        int threads;
        /** The worker set this job is meant for (stale workers of an older pool ignore it). */
        Worker[] pool;
        volatile Throwable error;
        final AtomicInteger pending = new AtomicInteger();
        volatile Thread waiter;

        synchronized void fail(Throwable e) {
            if (error == null) error = e;
            else error.addSuppressed(e);
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
                    waiter = null;
                    return;
                }
            }
        }
    }

    private static final class Worker extends Thread {
        final int index;
        volatile boolean parked;
        volatile boolean stop;
        long seen;

        Worker(int index, long initial) {
            super("flowmatch-kernel-" + index);
            this.index = index;
            this.seen = initial;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!stop) {
                if (!await()) return;
                Job job = JOB;
                if (job.pool == null || index > job.pool.length || job.pool[index - 1] != this) continue;
                try {
                    for (int c = index; c < job.chunks; c += job.threads) job.body.accept(c);
                } catch (Throwable e) {
                    job.fail(e);
                } finally {
                    job.done();
                }
            }
        }

        /** Waits for the next job generation; false when the worker should exit. */
        private boolean await() {
            long start = System.nanoTime();
            int spins = 0;
            while (true) {
                long g = generation;
                if (g != seen) {
                    seen = g;
                    return true;
                }
                if (stop) return false;
                if (++spins < 256) {
                    Thread.onSpinWait();
                    continue;
                }
                spins = 0;
                if (System.nanoTime() - start < SPIN_NANOS) continue;
                parked = true;
                if (generation == seen && !stop) LockSupport.park(this);
                parked = false;
            }
        }
    }

    /**
     * Runs {@code body} on the calling thread with every {@link #forEachChunk} inside it running inline (kernels
     * see {@link #inParallelRegion()}), for work too small to gain from a split: waking the workers and waiting
     * for them costs more than a product of a few million multiply-adds saves, and on a loaded machine a worker
     * that is not scheduled stalls the caller. Results are the same (kernels split work without changing any
     * element's computation). Holds the pool for the duration, so other threads' jobs meanwhile run inline too.
     */
    public static void serially(Runnable body) {
        LOCK.lock();
        try {
            body.run();
        } finally {
            LOCK.unlock();
        }
    }
}
