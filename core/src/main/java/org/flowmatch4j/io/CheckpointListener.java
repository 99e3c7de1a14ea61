package org.flowmatch4j.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Tensor;
import org.flowmatch4j.train.LossLog;
import org.flowmatch4j.train.StepInfo;
import org.flowmatch4j.train.TrainerState;
import org.flowmatch4j.train.TrainingDivergedException;
import org.flowmatch4j.train.TrainingListener;

/**
 * Checkpoints a running trainer into a {@link CheckpointStore}: after every {@code every}-th step and once more
 * after the last step, each an atomic single-file write, so a run killed at any moment leaves the previous
 * checkpoint loadable; {@link #resume} puts one back into a fresh trainer.
 *
 * <p>Besides the {@link TrainerState} tensors, the {@link Checkpoint#extra()} tensors hold the trainer's clock
 * ({@code trainer.seconds}, float64 [1]) and, when a {@link LossLog} is given, the log so far
 * ({@code log.step}, {@code log.loss}, {@code log.seconds}, float64 [n]; float64 keeps the step numbers exact up
 * to 2⁵³), so a resumed run's train-log continues without a gap. The LossLog must precede this listener in
 * the listener list, so that it has recorded a step before the step is checkpointed.
 *
 * <p>A checkpoint is only written from finite state: if a parameter, optimiser moment or EMA value is NaN or
 * infinite (a gradient overflowed although the loss was still finite), the run stops with
 * {@link TrainingDivergedException} and the store keeps the last good checkpoint.
 */
public final class CheckpointListener implements TrainingListener {
    private static final String SECONDS = "trainer.seconds";
    private static final String LOG_STEP = "log.step";
    private static final String LOG_LOSS = "log.loss";
    private static final String LOG_SECONDS = "log.seconds";

    private final CheckpointStore store;
    private final long every;
    private final TrainerState state;
    private final String configJson;
    private final LossLog log;
    private long lastSavedStep = -1;
    private Path lastSaved;

    /**
     * @param every      steps between checkpoints (≥ 1)
     * @param configJson the run's configuration (a JSON object) stored in every checkpoint
     * @param log        the run's loss log, or null to store none
     */
    public CheckpointListener(CheckpointStore store, long every, TrainerState state, String configJson, LossLog log) {
        if (store == null || state == null) {
            throw new IllegalArgumentException("CheckpointListener: store and state must not be null");
        }
        if (every < 1) {
            throw new IllegalArgumentException("CheckpointListener: every must be >= 1, got " + every);
        }
        Json.parseObject(configJson, "CheckpointListener config");
        this.store = store;
        this.every = every;
        this.state = state;
        this.configJson = configJson;
        this.log = log;
    }

    @Override
    public void onStep(StepInfo info) {
        if (info.step() % every == 0) {
            save();
        }
    }

    @Override
    public void onEnd(StepInfo last) {
        if (state.step() != lastSavedStep) {
            save();
        }
    }

    /** Writes a checkpoint of the current state now; returns its file. */
    public Path save() {
        Checkpoint c = capture(state, configJson, log);
        requireFinite(c);
        try {
            lastSaved = store.save(c);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint of step " + c.step() + " in " + store.dir() + ": " + e.getMessage(), e);
        }
        lastSavedStep = c.step();
        return lastSaved;
    }

    /** The file of the last checkpoint this listener wrote, or null before the first. */
    public Path lastSaved() {
        return lastSaved;
    }

    /** A snapshot of {@code state} (tensors copied) with its clock and, when {@code log} is not null, the log. */
    public static Checkpoint capture(TrainerState state, String configJson, LossLog log) {
        Map<String, Tensor> extra = new LinkedHashMap<>();
        extra.put(SECONDS, Tensor.of(new double[] {state.elapsedSeconds()}, 1));
        if (log != null) {
            int n = log.size();
            long logged = n == 0 ? 0 : log.step(n - 1);
            if (logged != state.step()) {
                throw new IllegalStateException("CheckpointListener: the loss log ends at step " + logged + " but the trainer is at step "
                        + state.step() + "; put the LossLog before the CheckpointListener in the listener list");
            }
            double[] steps = new double[n];
            double[] losses = new double[n];
            double[] seconds = new double[n];
            for (int i = 0; i < n; i++) {
                steps[i] = log.step(i);
                losses[i] = log.loss(i);
                seconds[i] = log.seconds(i);
            }
            extra.put(LOG_STEP, Tensor.of(steps, n));
            extra.put(LOG_LOSS, Tensor.of(losses, n));
            extra.put(LOG_SECONDS, Tensor.of(seconds, n));
        }
        return Checkpoint.capture(state.step(), state.model(), state.optimizer(), state.ema(), state.rng(), configJson, extra);
    }

    /**
     * Restores {@code checkpoint} into a freshly built trainer (same architecture and settings) and, when
     * {@code log} is not null, refills that empty log with the checkpoint's. Everything is checked before
     * anything changes: names, shapes and dtypes of every tensor, the presence of an EMA on both sides,
     * the generator state and the log's layout.
     *
     * @throws IllegalArgumentException if the checkpoint does not fit the trainer (the message names the mismatch)
     */
    public static void resume(Checkpoint checkpoint, TrainerState state, LossLog log) {
        long step = checkpoint.step();
        if ((state.ema() != null) != !checkpoint.ema().isEmpty()) {
            throw new IllegalArgumentException("checkpoint at step " + step + (checkpoint.ema().isEmpty() ? " has no EMA of the weights but the run uses one"
                    : " has an EMA of the weights but the run uses none") + " (the EMA decay must match)");
        }
        if (checkpoint.rngState().length == 0) {
            throw new IllegalArgumentException("checkpoint at step " + step + " holds no generator state");
        }
        if (checkpoint.optimizerSteps() != step) {
            throw new IllegalArgumentException("checkpoint at step " + step + " has an optimiser at step " + checkpoint.optimizerSteps());
        }
        double seconds = 0;
        Tensor s = checkpoint.extra().get(SECONDS);
        if (s != null) {
            if (s.numel() != 1 || s.dtype() != DType.FLOAT64 || !(s.getDouble(0) >= 0)) {
                throw new IllegalArgumentException("checkpoint at step " + step + ": extra tensor " + SECONDS + " must be one float64 >= 0");
            }
            seconds = s.getDouble(0);
        }
        double[][] saved = null;
        if (log != null) {
            if (log.size() != 0) {
                throw new IllegalArgumentException("resume: the loss log to refill already holds " + log.size() + " records");
            }
            saved = logOf(checkpoint);
        }
        checkpoint.restoreInto(state.model(), state.optimizer(), state.ema());
        if (saved != null) {
            for (int i = 0; i < saved[0].length; i++) {
                log.add((long) saved[0][i], saved[1][i], saved[2][i]);
            }
        }
        state.resume(step, checkpoint.rng(), seconds);
    }

    private static double[][] logOf(Checkpoint c) {
        Tensor st = c.extra().get(LOG_STEP);
        Tensor lo = c.extra().get(LOG_LOSS);
        Tensor se = c.extra().get(LOG_SECONDS);
        if (st == null || lo == null || se == null) {
            throw new IllegalArgumentException("checkpoint at step " + c.step() + " holds no loss log (" + LOG_STEP + ", " + LOG_LOSS + ", "
                    + LOG_SECONDS + ")");
        }
        int n = st.numel();
        for (Tensor t : new Tensor[] {st, lo, se}) {
            if (t.dtype() != DType.FLOAT64 || t.shape().length != 1 || t.numel() != n) {
                throw new IllegalArgumentException("checkpoint at step " + c.step() + ": the loss log tensors must be float64 [n] of one length, got "
                        + st.dtype().label() + java.util.Arrays.toString(st.shape()) + ", " + lo.dtype().label() + java.util.Arrays.toString(lo.shape())
                        + ", " + se.dtype().label() + java.util.Arrays.toString(se.shape()));
            }
        }
        double[][] out = {st.doubleData().clone(), lo.doubleData().clone(), se.doubleData().clone()};
        for (int i = 0; i < n; i++) {
            double v = out[0][i];
            if (v != Math.rint(v) || v < 1 || v > c.step() || (i > 0 && v <= out[0][i - 1])) {
                throw new IllegalArgumentException("checkpoint at step " + c.step() + ": loss log record " + i + " has step " + v
                        + " (steps must be increasing integers in [1, " + c.step() + "])");
            }
        }
        if (n > 0 && out[0][n - 1] != c.step()) {
            throw new IllegalArgumentException("checkpoint at step " + c.step() + ": its loss log ends at step " + (long) out[0][n - 1]);
        }
        return out;
    }

    private static void requireFinite(Checkpoint c) {
        for (Map<String, Tensor> part : java.util.List.of(c.model(), c.optimizer(), c.ema())) {
            for (Map.Entry<String, Tensor> e : part.entrySet()) {
                if (!finite(e.getValue())) {
                    throw new TrainingDivergedException(c.step(), "\"" + e.getKey() + "\" holds NaN or infinite values, so no checkpoint of this step"
                            + " was written");
                }
            }
        }
    }

    private static boolean finite(Tensor t) {
        if (t.dtype() == DType.FLOAT32) {
            for (float v : t.floatData()) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        } else {
            for (double v : t.doubleData()) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }
}
