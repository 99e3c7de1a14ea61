package org.flowmatch4j.nn;

import org.flowmatch4j.autodiff.ElementwiseUpdate;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.tensor.DType;

/**
 * Tape-free forward and backward passes of an {@link Mlp} for a fixed batch size, on preallocated float32 buffers:
 * the training hot path. Each layer runs one fused GEMM + bias + activation forward ({@code z = h·Wᵀ + b},
 * {@code h' = act(z)}, keeping {@code act'(z)}) and, backward, {@code dz = g ⊙ act'(z)}, {@code dW = dzᵀ·h},
 * {@code db = Σ_rows dz}, {@code g_prev = dz·W}.
 *
 * <p>The batch is split into one block of rows per thread ({@link Parallel#threads()} at construction); each block
 * runs the whole network with single-threaded kernels, and the per-block weight gradients are summed in block order,
 * so results are identical run to run for a fixed thread count. Gradients are written (not added) into each
 * parameter's {@code grad}; nothing is allocated after construction. It computes what the autodiff graph of
 * {@link Mlp#forward} computes, which the tests check.
 *
 * <p>Two layouts, chosen by the widest hidden layer: up to {@link #FEATURE_MAJOR_MAX_WIDTH} the activations are kept
 * feature-major and read in place by products against weights packed once per step ({@link FeatureMajorPass});
 * wider networks keep row-major activations and the general packed GEMM ({@link RowMajorPass}). Measured on the
 * benchmark step (BENCHMARKS.md): feature-major is faster at width 256 and slower at 512.
 */
public final class FusedMlp {
    /** Widest hidden layer that takes the feature-major pass ({@code -Dflowmatch.fused.featureMajorMaxWidth}). */
    static final int FEATURE_MAJOR_MAX_WIDTH = Integer.getInteger("flowmatch.fused.featureMajorMaxWidth", 256);

    private final FusedPass pass;

    /** Buffers for {@code batch} rows, split over the current {@link Parallel#threads()}; the MLP must be float32. */
    public FusedMlp(Mlp mlp, int batch) {
        this(mlp, batch, widestHidden(mlp) <= FEATURE_MAJOR_MAX_WIDTH);
    }

    /** With the layout given (tests run both). */
    FusedMlp(Mlp mlp, int batch, boolean featureMajor) {
        if (mlp.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("FusedMlp: needs a float32 Mlp, got " + mlp.dtype().label());
        }
        if (batch <= 0) {
            throw new IllegalArgumentException("FusedMlp: batch must be positive, got " + batch);
        }
        this.pass = featureMajor ? new FeatureMajorPass(mlp, batch) : new RowMajorPass(mlp, batch);
    }

    /** Width of the widest hidden layer (the inputs of every layer but the first). */
    private static int widestHidden(Mlp mlp) {
        int w = 0;
        for (int i = 1; i < mlp.layers().size(); i++) {
            w = Math.max(w, mlp.layers().get(i).inFeatures());
        }
        return w;
    }

    /** Whether this pass keeps its activations feature-major. */
    boolean featureMajor() {
        return pass instanceof FeatureMajorPass;
    }

    /** The input buffer {@code [batch, in]} to fill before {@link #forward()}. */
    public float[] input() {
        return pass.input();
    }

    /** The output buffer {@code [batch, out]} written by {@link #forward()}. */
    public float[] output() {
        return pass.output();
    }

    /** The gradient buffer {@code [batch, out]} read by {@link #backward()}. */
    public float[] outputGrad() {
        return pass.outputGrad();
    }

    /** Batch size the buffers were made for. */
    public int batch() {
        return pass.batch();
    }

    /** Runs the network on {@link #input()} into {@link #output()}. */
    public float[] forward() {
        return pass.forward();
    }

    /**
     * One fused training pass for {@code L = mean((output − target)²)} over all {@code batch·out}
     * elements: forward, loss, backward, parameter gradients written. Returns L (accumulated in double).
     */
    public double mseStep(float[] target) {
        return pass.mseStep(target);
    }

    /**
     * A whole training step: {@link #mseStep} and then {@code update}'s step of every parameter, overlapped (a thread
     * that has finished its share of the backward pass sums and updates the layers whose gradients are complete while
     * the others finish). The result is, to the bit, that of {@code mseStep} followed by the update's whole step. If
     * the loss is not finite nothing is updated and the update's step is not begun (the gradients are written all
     * the same), so the caller can stop with the last good parameters. Returns L.
     *
     * @throws IllegalArgumentException if the update's parameters are not exactly the MLP's, or target is too short
     */
    public double mseStepAndUpdate(float[] target, ElementwiseUpdate update) {
        return pass.mseStepAndUpdate(null, target, update);
    }

    /**
     * {@link #mseStepAndUpdate(float[], ElementwiseUpdate)} on a batch that {@code writer} writes into {@link #input()}
     * and {@code target} on the pass's own threads, at its start: the step then runs in one parallel region, and the
     * batch's parts share the threads with the weight packing. Same result as writing the batch first.
     *
     * @throws IllegalArgumentException as the other form, or if {@code writer.parts()} is negative
     */
    public double mseStepAndUpdate(BatchWriter writer, float[] target, ElementwiseUpdate update) {
        return pass.mseStepAndUpdate(java.util.Objects.requireNonNull(writer, "writer"), target, update);
    }

    /**
     * Writes {@link #outputGrad()} = ∂L/∂output for {@code L = mean((output − target)²)} after
     * {@link #forward()} and returns L. Follow with {@link #backward()}.
     */
    public double mseLossAndGrad(float[] target) {
        return pass.mseLossAndGrad(target);
    }

    /**
     * Backpropagates {@link #outputGrad()} (after {@link #forward()}, with the weights unchanged since) and writes
     * every parameter's gradient. Once per forward pass: the backward pass may overwrite what the forward pass saved.
     *
     * @throws IllegalStateException if no {@link #forward()} ran since the last backward pass
     */
    public void backward() {
        pass.backward();
    }
}
