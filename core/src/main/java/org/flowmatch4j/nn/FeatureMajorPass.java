package org.flowmatch4j.nn;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.kernels.KernelBackend;
import org.flowmatch4j.kernels.Parallel;

/**
 * The {@link FusedMlp} pass with feature-major activations. Chosen for layers up to 256 wide (see {@link FusedMlp}).
 *
 * <p>Tape-free forward and backward passes of an {@link Mlp} for a fixed batch size, on preallocated
 * float32 buffers. Each layer runs one fused GEMM + bias + activation forward
 * ({@code z = h·Wᵀ + b}, {@code h' = act(z)}, keeping {@code act'(z)}) and, backward, {@code dz = g ⊙ act'(z)},
 * {@code dW = dzᵀ·h}, {@code db = Σ_rows dz}, {@code g_prev = dz·W}.
 *
 * <p>Activations and gradients are kept feature-major ({@code hᵀ}: one row per feature, one column per batch row),
 * so the forward product is {@code zᵀ = W·hᵀ} and the backward one {@code gᵀ = Wᵀ·dzᵀ}: the weights are packed
 * once per step ({@link KernelBackend#packA}) for the forward product and read from the same panels by the backward
 * one ({@link KernelBackend#sgemmPackedATransScaled}), and the activations are read in place
 * ({@link KernelBackend#sgemmPackedA}) rather than copied into panels by every product.
 *
 * <p>The batch is split into one contiguous block of rows per thread ({@link Parallel#threads()} at
 * construction), each with its own buffers; each block runs the whole network with single-threaded kernels, so a
 * step synchronises a few times instead of once per GEMM. The per-block weight gradients are then summed in
 * block order, so results are identical run to run for a fixed thread count. Gradients are written (not
 * added) into each parameter's {@link Var#grad()}; nothing is allocated after construction.
 *
 * <p>It computes what the autodiff graph of {@link Mlp#forward} computes, which the tests check.
 */
final class FeatureMajorPass extends BlockedPass {
    /** Below this many rows or columns a weight gradient is computed as dot products rather than a GEMM. */
    private static final int NARROW = 16;

    private final float[] ones;
    /**
     * W of every layer packed for the forward products, in two sets used in alternate passes. The backward products
     * read it too ({@link KernelBackend#sgemmPackedATransScaled}), so the weights have one derived copy per pass: a
     * second, plain copy for the backward products cost more under load than their slightly slower reads of the
     * packed one (in one JVM, alternating chunks: 256/256 faster in 37 of 40 chunk pairs). Both threads read all of it,
     * and a write to a line the other core has just read waits for that core's copy to be invalidated: a set is
     * written two passes after the threads last read it.
     */
    private final float[][][] packedSets = new float[2][][];
    /** The set of {@link #packedSets} of the current pass. */
    private float[][] packedW;

    /**
     * One thread's batch rows {@code [r0, r0 + rows)}: its own feature-major activation and gradient buffers (one row
     * per feature, stride {@code ld}; separate per block so that no cache line is written by two threads) and its
     * partial weight gradients.
     */
    private final class Block extends PassBlock {
        final int ld;
        final float[][] h = new float[layers][];   // h[i]: layer i's input activations (h[0] is the input)
        // act'(z) of hidden layer i, which the backward pass overwrites with ∂L/∂z of that layer (g ⊙ act'(z))
        final float[][] d = new float[layers][];
        final float[] out;
        final float[] outGrad;

        Block(int r0, int r1) {
            super(r0, r1);
            this.ld = MlpEvaluator.stride(rows);
            for (int i = 0; i < layers; i++) {
                h[i] = new float[widths[i] * ld];
                if (i < layers - 1) {
                    d[i] = new float[widths[i + 1] * ld];
                }
            }
            out = new float[widths[layers] * ld];
            outGrad = new float[widths[layers] * ld];
        }

        @Override
        void forward() {
            int in0 = widths[0];
            for (int r = 0; r < rows; r++) {
                for (int f = 0; f < in0; f++) {
                    h[0][f * ld + r] = input[(r0 + r) * in0 + f];
                }
            }
            Activation act = mlp.activation();
            for (int i = 0; i < layers - 1; i++) {
                k.sgemmPackedA(widths[i + 1], rows, widths[i], packedW[i], h[i], 0, ld, false, b[i], d[i], 0, ld,
                        act, h[i + 1], 0, ld, true);
            }
            int last = layers - 1;
            int o = widths[layers];
            k.sgemmPackedA(o, rows, widths[last], packedW[last], h[last], 0, ld, false, b[last], out, 0, ld,
                    null, null, 0, 0, false);
            for (int r = 0; r < rows; r++) {
                for (int f = 0; f < o; f++) {
                    output[(r0 + r) * o + f] = out[f * ld + r];
                }
            }
        }

        @Override
        double mse() {
            int o = widths[layers];
            float scale = 2.0f / (batch * o);
            double s = 0;
            for (int r = r0; r < r0 + rows; r++) {
                for (int f = 0; f < o; f++) {
                    int i = r * o + f;
                    float e = output[i] - target[i];
                    s += (double) e * e;
                    outputGrad[i] = scale * e;
                    outGrad[f * ld + r - r0] = scale * e;
                }
            }
            return s;
        }

        /** Copies this block's rows of {@link #outputGrad} (written by the caller) into the feature-major buffer. */
        void takeOutputGrad() {
            int o = widths[layers];
            for (int r = r0; r < r0 + rows; r++) {
                for (int f = 0; f < o; f++) {
                    outGrad[f * ld + r - r0] = outputGrad[r * o + f];
                }
            }
        }

        @Override
        void backward(boolean fromOutputGrad) {
            if (fromOutputGrad) {
                takeOutputGrad();
            }
            for (int i = layers - 1; i >= 0; i--) {
                int o = widths[i + 1];
                int a = widths[i];
                // ∂L/∂z: the loss gradient at the output, else what the layer above wrote over act'(z)
                float[] dz = i == layers - 1 ? outGrad : d[i];
                // dW = dzᵀ·h over this block's columns: both operands are feature-major, so h enters transposed;
                // a narrow side (the input or the output layer) is cheaper as dot products of rows, the longer
                // side four rows at a time
                if (o < NARROW || a < NARROW) {
                    if (o >= a) {
                        k.dotRows(o, a, rows, dz, 0, ld, h[i], 0, ld, pdw[i], 0, a, 1);
                    } else {
                        k.dotRows(a, o, rows, h[i], 0, ld, dz, 0, ld, pdw[i], 0, 1, a);
                    }
                } else {
                    k.sgemm(false, true, o, a, rows, dz, 0, ld, h[i], 0, ld, false, pdw[i], 0, a);
                }
                k.dotRows(o, 1, rows, dz, 0, ld, ones, 0, 0, pdb[i], 0, 1, 0);
                if (i > 0) {
                    // g = Wᵀ·dz, times act'(z) of the layer below, in place of the latter; W read from this pass's panels
                    k.sgemmPackedATransScaled(a, rows, o, packedW[i], dz, 0, ld, d[i - 1], 0, ld);
                }
                layerDone(i);
            }
        }
    }

    /** Buffers for {@code batch} rows, split over the current {@link Parallel#threads()}; the MLP must be float32. */
    FeatureMajorPass(Mlp mlp, int batch) {
        super(mlp, batch);
        for (int q = 0; q < 2; q++) {
            packedSets[q] = new float[layers][];
            for (int i = 0; i < layers; i++) {
                packedSets[q][i] = new float[k.packedASize(widths[i + 1], widths[i])];
            }
        }
        packedW = packedSets[0];
        ones = new float[batch];
        java.util.Arrays.fill(ones, 1f);
        initBlocks(Block::new);
    }

    @Override
    void beginPacking() {
        packedW = packedW == packedSets[0] ? packedSets[1] : packedSets[0];
    }

    @Override
    int packSlices() {
        return parts;
    }

    /**
     * Slice p of the weight packing: the p-th of {@link #parts} slices of the rows of every W_i, so every thread does
     * the same work. After {@link FusedMlp#mseStep} and a whole {@code Adam.step()} these are the rows Adam updated on
     * this thread (it splits each array the same way), still in its cache; the overlapped step hands its slices out as
     * the threads come free, so there about half of them are.
     */
    @Override
    void packSlice(int p) {
        for (int i = 0; i < layers; i++) {
            int out = widths[i + 1];
            int in = widths[i];
            int r0 = (int) ((long) out * p / parts);
            int r1 = (int) ((long) out * (p + 1) / parts);
            k.packA(false, out, in, w[i], 0, in, packedW[i], r0, r1, 0, in);
        }
    }
}
