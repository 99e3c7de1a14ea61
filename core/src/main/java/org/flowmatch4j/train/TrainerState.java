package org.flowmatch4j.train;

import org.flowmatch4j.nn.Module;
import org.flowmatch4j.optim.Ema;
import org.flowmatch4j.optim.Optimizer;
import org.flowmatch4j.tensor.Rng;

/**
 * The whole mutable state of a trainer, which a checkpoint captures so that a resumed run continues bit for
 * bit: the model's tensors, the optimiser's state and step counter, the EMA shadow, the one generator every
 * random draw of a step comes from (data batch, source noise, times, coupling, path noise), the step count
 * (which is also the position of any learning-rate schedule, a function of the step) and the elapsed time.
 * Everything else a trainer holds must be derived from its settings or be scratch space rewritten every step.
 */
public interface TrainerState {
    /** Steps taken so far. */
    long step();

    /** The module whose parameters are trained. */
    Module model();

    /** The optimiser (its {@link Optimizer#state()} and {@link Optimizer#steps()}). */
    Optimizer optimizer();

    /** The moving average of the weights, or null when disabled. */
    Ema ema();

    /** The generator of the run (live: a snapshot must copy {@link Rng#state()}). */
    Rng rng();

    /** Training wall time so far in seconds, including the time before a resume. */
    double elapsedSeconds();

    /**
     * Continues from a restored state: the tensors have been copied in already; this sets the step count,
     * replaces the generator and offsets the clock.
     */
    void resume(long step, Rng rng, double elapsedSeconds);
}
