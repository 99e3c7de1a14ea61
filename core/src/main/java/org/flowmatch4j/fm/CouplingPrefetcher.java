package org.flowmatch4j.fm;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.flowmatch4j.coupling.Coupling;
import org.flowmatch4j.coupling.CouplingPlan;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.flowmatch4j.train.PairSource;

/**
 * Draws a trainer's batches in order on the training thread and solves their coupling plans ahead of use on
 * worker threads: while step k trains, the plans of the next {@code workers} batches are being solved, batch j
 * by worker {@code j mod workers}, each worker with its own {@linkplain Coupling#workerCopy() copy} of the
 * coupling.
 *
 * <p>Only for couplings whose plan depends on the batch alone, and each batch's draws ({@link StepDraws}) come
 * from the run's generator in the same order as at its step, so every number of the run is the one a trainer that
 * draws and solves each batch at its step would get, whatever the number of workers. {@link #rngState()} is the
 * generator's state before the first batch not yet handed out: what a checkpoint must keep to replay the rest.
 */
final class CouplingPrefetcher implements AutoCloseable {
    /** One batch, drawn: its pairs, times and path-noise generator, and the generator state before it. */
    private record Drawn(StepDraws draws, long[] rngBefore, Future<CouplingPlan> plan) {
    }

    /** A batch ready to train on: its draws and its solved plan. */
    record Ready(StepDraws draws, CouplingPlan plan) {
    }

    private final PairSource pairs;
    private final Rng rng;
    private final int batch;
    private final int dim;
    private final ExecutorService[] workers;
    private final Coupling[] couplings;
    private final ArrayDeque<Drawn> ahead = new ArrayDeque<>();
    /**
     * Draw buffers used in turn: at most {@code workers + 1} batches are waiting and the one handed out last is
     * in use until the next {@link #next()}, so {@code workers + 2} buffers are never overwritten while read.
     */
    private final StepDraws[] buffers;
    private long drawn;

    /**
     * @param coupling a coupling with a {@linkplain Coupling#workerCopy() worker copy}
     * @param workers  number of worker threads (≥ 1); batches in flight at a time
     */
    CouplingPrefetcher(PairSource pairs, Coupling coupling, Rng rng, int batch, int dim, int workers) {
        this.pairs = pairs;
        this.rng = rng;
        this.batch = batch;
        this.dim = dim;
        this.workers = new ExecutorService[workers];
        this.couplings = new Coupling[workers];
        this.buffers = new StepDraws[workers + 2];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = StepDraws.buffers(batch, dim);
        }
        for (int w = 0; w < workers; w++) {
            couplings[w] = coupling.workerCopy().orElseThrow(() -> new IllegalArgumentException(
                    coupling.name() + " coupling cannot be solved ahead on worker threads"));
            this.workers[w] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "flowmatch-coupling");
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** The next batch with its solved plan (blocks until the plan is ready); keeps {@code workers} batches ahead. */
    Ready next() {
        while (ahead.size() <= workers.length) {
            long[] before = rng.state();
            StepDraws d = buffers[(int) (drawn % buffers.length)].draw(pairs, rng);
            int slot = (int) (drawn++ % workers.length);
            Coupling c = couplings[slot];
            Tensor x0 = Tensor.of(d.x0(), batch, dim);
            Tensor x1 = Tensor.of(d.x1(), batch, dim);
            ahead.add(new Drawn(d, before, workers[slot].submit(() -> c.plan(x0, x1, null))));
        }
        Drawn head = ahead.poll();
        try {
            return new Ready(head.draws(), head.plan().get());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("coupling failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a coupling plan", e);
        }
    }

    /** The generator state before the first batch not yet returned by {@link #next()}. */
    long[] rngState() {
        return ahead.isEmpty() ? rng.state() : ahead.peek().rngBefore();
    }

    /** Waits for the batches in flight and stops the workers. */
    @Override
    public void close() {
        for (ExecutorService w : workers) {
            w.shutdownNow();
        }
        for (Drawn d : ahead) {
            d.plan().cancel(false);
        }
        for (ExecutorService w : workers) {
            try {
                w.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
