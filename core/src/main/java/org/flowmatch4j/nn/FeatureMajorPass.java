package org.flowmatch4j.nn;

import java.util.List;
import java.util.function.IntConsumer;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.kernels.KernelBackend;
import org.flowmatch4j.kernels.Kernels;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.tensor.DType;

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
 * once per step ({@link KernelBackend#packA}) and the activations are read in place
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
final class FeatureMajorPass implements FusedPass {
    /** Below this many rows or columns a weight gradient is computed as dot products rather than a GEMM. */
    private static final int NARROW = 16;

    private final Mlp mlp;
    private final int batch;
    private final int layers;
    private final int[] widths;
    private final float[][] w;
    private final float[][] b;
    private final float[][] dw;
    private final float[][] db;
    private final float[] input;
    private final float[] output;
    private final float[] outputGrad;
    private final float[] ones;
    // packed W (forward) and Wᵀ (backward, layers ≥ 1), refreshed every pass from the live weights
    private final float[][] packedW;
    private final float[][] packedWt;
    private final int[][] packJobs;
    private final Block[] blocks;
    private final KernelBackend k;
    private final IntConsumer forwardTask;
    private final IntConsumer backwardTask;
    private final IntConsumer mseTask;
    private final IntConsumer reduceTask;
    private final IntConsumer packTask;
    private float[] target;

    /**
     * One thread's batch rows {@code [r0, r0 + cols)}: its own feature-major activation and gradient buffers (one row
     * per feature, stride {@code ld}; separate per block so that no cache line is written by two threads) and its
     * partial weight gradients.
     */
    private final class Block {
        final int r0;
        final int cols;
        final int ld;
        final float[][] h = new float[layers][];   // h[i]: layer i's input activations (h[0] is the input)
        final float[][] d = new float[layers][];   // act'(z) of hidden layer i
        final float[][] g = new float[layers][];   // gradient with respect to h[i], i ≥ 1
        final float[] out;
        final float[] outGrad;
        final float[][] pdw; // partial weight gradients (the parameter's own buffer for block 0)
        final float[][] pdb;
        double loss;

        Block(int r0, int r1, boolean ownsGrad) {
            this.r0 = r0;
            this.cols = r1 - r0;
            this.ld = MlpEvaluator.stride(cols);
            for (int i = 0; i < layers; i++) {
                h[i] = new float[widths[i] * ld];
                if (i < layers - 1) {
                    d[i] = new float[widths[i + 1] * ld];
                }
                if (i > 0) {
                    g[i] = new float[widths[i] * ld];
                }
            }
            out = new float[widths[layers] * ld];
            outGrad = new float[widths[layers] * ld];
            pdw = new float[layers][];
            pdb = new float[layers][];
            for (int i = 0; i < layers; i++) {
                pdw[i] = ownsGrad ? dw[i] : new float[dw[i].length];
                pdb[i] = ownsGrad ? db[i] : new float[db[i].length];
            }
        }

        void forward() {
            int in0 = widths[0];
            for (int r = 0; r < cols; r++) {
                for (int f = 0; f < in0; f++) {
                    h[0][f * ld + r] = input[(r0 + r) * in0 + f];
                }
            }
            Activation act = mlp.activation();
            for (int i = 0; i < layers - 1; i++) {
                k.sgemmPackedA(widths[i + 1], cols, widths[i], packedW[i], h[i], 0, ld, false, b[i], d[i], 0, ld,
                        act, h[i + 1], 0, ld, true);
            }
            int last = layers - 1;
            int o = widths[layers];
            k.sgemmPackedA(o, cols, widths[last], packedW[last], h[last], 0, ld, false, b[last], out, 0, ld,
                    null, null, 0, 0, false);
            for (int r = 0; r < cols; r++) {
                for (int f = 0; f < o; f++) {
                    output[(r0 + r) * o + f] = out[f * ld + r];
                }
            }
        }

        void mse() {
            int o = widths[layers];
            float scale = 2.0f / (batch * o);
            double s = 0;
            for (int r = r0; r < r0 + cols; r++) {
                for (int f = 0; f < o; f++) {
                    int i = r * o + f;
                    float e = output[i] - target[i];
                    s += (double) e * e;
                    outputGrad[i] = scale * e;
                    outGrad[f * ld + r - r0] = scale * e;
                }
            }
            loss = s;
        }

        /** Copies this block's rows of {@link #outputGrad} (written by the caller) into the feature-major buffer. */
        void takeOutputGrad() {
            int o = widths[layers];
            for (int r = r0; r < r0 + cols; r++) {
                for (int f = 0; f < o; f++) {
                    outGrad[f * ld + r - r0] = outputGrad[r * o + f];
                }
            }
        }

        void backward() {
            for (int i = layers - 1; i >= 0; i--) {
                int o = widths[i + 1];
                int a = widths[i];
                float[] dz;
                if (i == layers - 1) {
                    dz = outGrad;
                } else {
                    dz = g[i + 1];
                    for (int f = 0; f < o; f++) {
                        k.multiplyInPlace(dz, f * ld, d[i], f * ld, cols);
                    }
                }
                // dW = dzᵀ·h over this block's columns: both operands are feature-major, so h enters transposed;
                // a narrow side (the input or the output layer) is cheaper as one dot product per weight
                if (o < NARROW || a < NARROW) {
                    for (int f = 0; f < o; f++) {
                        for (int j = 0; j < a; j++) {
                            pdw[i][f * a + j] = k.dot(dz, f * ld, h[i], j * ld, cols);
                        }
                    }
                } else {
                    k.sgemm(false, true, o, a, cols, dz, 0, ld, h[i], 0, ld, false, pdw[i], 0, a);
                }
                for (int f = 0; f < o; f++) {
                    pdb[i][f] = k.dot(dz, f * ld, ones, 0, cols);
                }
                if (i > 0) {
                    k.sgemmPackedA(a, cols, o, packedWt[i], dz, 0, ld, false, null, g[i], 0, ld, null, null, 0, 0, false);
                }
            }
        }
    }

    /** Buffers for {@code batch} rows, split over the current {@link Parallel#threads()}; the MLP must be float32. */
    FeatureMajorPass(Mlp mlp, int batch) {
        this.mlp = mlp;
        this.batch = batch;
        this.k = Kernels.get();
        List<Linear> ls = mlp.layers();
        this.layers = ls.size();
        widths = new int[layers + 1];
        w = new float[layers][];
        b = new float[layers][];
        dw = new float[layers][];
        db = new float[layers][];
        widths[0] = ls.get(0).inFeatures();
        for (int i = 0; i < layers; i++) {
            Linear l = ls.get(i);
            widths[i + 1] = l.outFeatures();
            w[i] = l.weight().value().floatData();
            b[i] = l.bias().value().floatData();
            dw[i] = FusedPass.gradBuffer(l.weight());
            db[i] = FusedPass.gradBuffer(l.bias());
        }
        input = new float[batch * widths[0]];
        output = new float[batch * widths[layers]];
        outputGrad = new float[batch * widths[layers]];
        packedW = new float[layers][];
        packedWt = new float[layers][];
        for (int i = 0; i < layers; i++) {
            if (i > 0) {
                packedWt[i] = new float[k.packedASize(widths[i], widths[i + 1])];
            }
            packedW[i] = new float[k.packedASize(widths[i + 1], widths[i])];
        }
        ones = new float[batch];
        java.util.Arrays.fill(ones, 1f);
        // blocks of at least 16 rows: below that a second thread costs more than it saves
        int parts = Math.max(1, Math.min(Parallel.threads(), batch / 16));
        blocks = new Block[parts];
        for (int p = 0; p < parts; p++) {
            blocks[p] = new Block((int) ((long) batch * p / parts), (int) ((long) batch * (p + 1) / parts), p == 0);
        }
        packJobs = balancedPackJobs(parts);
        forwardTask = p -> blocks[p].forward();
        reduceTask = this::reduceSlice;
        backwardTask = p -> {
            blocks[p].takeOutputGrad();
            blocks[p].backward();
        };
        mseTask = p -> {
            Block bl = blocks[p];
            bl.forward();
            bl.mse();
            bl.backward();
        };
        packTask = p -> {
            for (int job : packJobs[p]) {
                pack(job);
            }
        };
    }

    /**
     * The weight packings of a pass (job i &lt; layers packs W_i, job layers + i packs W_iᵀ for i ≥ 1), spread over
     * the blocks largest first, each to the least loaded block.
     */
    private int[][] balancedPackJobs(int parts) {
        List<Integer> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < layers; i++) {
            jobs.add(i);
            if (i > 0) {
                jobs.add(layers + i);
            }
        }
        jobs.sort((x, y) -> Long.compare(weightSize(y), weightSize(x)));
        long[] load = new long[parts];
        List<List<Integer>> per = new java.util.ArrayList<>();
        for (int p = 0; p < parts; p++) {
            per.add(new java.util.ArrayList<>());
        }
        for (int job : jobs) {
            int best = 0;
            for (int p = 1; p < parts; p++) {
                if (load[p] < load[best]) {
                    best = p;
                }
            }
            per.get(best).add(job);
            load[best] += weightSize(job);
        }
        int[][] out = new int[parts][];
        for (int p = 0; p < parts; p++) {
            out[p] = per.get(p).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    private long weightSize(int job) {
        int i = job % layers;
        return (long) widths[i] * widths[i + 1];
    }

    private void pack(int job) {
        int i = job % layers;
        if (job < layers) {
            k.packA(false, widths[i + 1], widths[i], w[i], 0, widths[i], packedW[i]);
        } else {
            k.packA(true, widths[i], widths[i + 1], w[i], 0, widths[i], packedWt[i]);
        }
    }

    private void packWeights() {
        Parallel.forEachChunk(blocks.length, packTask);
    }

    /** The input buffer {@code [batch, in]} to fill before {@link #forward()}. */
    @Override
    public float[] input() {
        return input;
    }

    /** The output buffer {@code [batch, out]} written by {@link #forward()}. */
    @Override
    public float[] output() {
        return output;
    }

    /** The gradient buffer {@code [batch, out]} read by {@link #backward()}. */
    @Override
    public float[] outputGrad() {
        return outputGrad;
    }

    /** Batch size the buffers were made for. */
    @Override
    public int batch() {
        return batch;
    }

    /** Runs the network on {@link #input()} into {@link #output()}. */
    @Override
    public float[] forward() {
        packWeights();
        Parallel.forEachChunk(blocks.length, forwardTask);
        return output;
    }

    /**
     * One fused training pass for {@code L = mean((output − target)²)} over all {@code batch·out}
     * elements: forward, loss, backward, parameter gradients written. Returns L (accumulated in double).
     */
    @Override
    public double mseStep(float[] target) {
        if (target.length < output.length) {
            throw new IllegalArgumentException("mseStep: target has " + target.length + " values, output has " + output.length);
        }
        packWeights();
        this.target = target;
        Parallel.forEachChunk(blocks.length, mseTask);
        this.target = null;
        reduceGradients();
        double s = 0;
        for (Block bl : blocks) {
            s += bl.loss;
        }
        return s / output.length;
    }

    /**
     * Writes {@link #outputGrad()} = ∂L/∂output for {@code L = mean((output − target)²)} after
     * {@link #forward()} and returns L. Follow with {@link #backward()}.
     */
    @Override
    public double mseLossAndGrad(float[] target) {
        this.target = target;
        double s = 0;
        for (Block bl : blocks) {
            bl.mse();
            s += bl.loss;
        }
        this.target = null;
        return s / output.length;
    }

    /**
     * Backpropagates {@link #outputGrad()} (after {@link #forward()}, with the weights unchanged since) and writes
     * every parameter's gradient.
     */
    @Override
    public void backward() {
        Parallel.forEachChunk(blocks.length, backwardTask);
        reduceGradients();
    }

    /**
     * Adds the partial gradients of blocks 1.. into block 0's buffers (the parameters' own), in block order;
     * each thread takes one slice of every array, so the sums do not depend on the split.
     */
    private void reduceGradients() {
        if (blocks.length > 1) {
            Parallel.forEachChunk(blocks.length, reduceTask);
        }
    }

    private void reduceSlice(int c) {
        int parts = blocks.length;
        for (int i = 0; i < layers; i++) {
            reduceSlice(dw[i], c, parts, true, i);
            reduceSlice(db[i], c, parts, false, i);
        }
    }

    private void reduceSlice(float[] target, int c, int parts, boolean weight, int layer) {
        int from = (int) ((long) target.length * c / parts);
        int to = (int) ((long) target.length * (c + 1) / parts);
        for (int p = 1; p < parts; p++) {
            k.axpy(to - from, 1f, weight ? blocks[p].pdw[layer] : blocks[p].pdb[layer], from, target, from);
        }
    }
}
