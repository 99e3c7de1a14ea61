package org.flowmatch4j.optim;

import java.util.List;
import java.util.Map;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.tensor.Tensor;

/** Updates parameters in place from their accumulated gradients ({@link Var#grad()}). */
public interface Optimizer {
    /** One update of every parameter that has a gradient. */
    void step();

    /** Current learning rate. */
    double learningRate();

    /** Sets the learning rate (used by {@link LrSchedule}s). */
    void setLearningRate(double lr);

    /** The parameters being optimised. */
    List<Var> parameters();

    /** Number of steps taken. */
    long steps();

    /**
     * The optimiser's state tensors by stable name (for checkpoints); the tensors are live, so loading
     * copies into them.
     */
    Map<String, Tensor> state();

    /** Restores the step counter (after copying saved values into {@link #state()}). */
    void setSteps(long steps);

    /** Zeroes every parameter's gradient. */
    default void zeroGrad() {
        for (Var p : parameters()) {
            p.zeroGrad();
        }
    }
}
