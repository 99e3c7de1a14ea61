package org.flowmatch4j.nn;

import java.util.List;
import java.util.function.IntConsumer;

import org.flowmatch4j.autodiff.ElementwiseUpdate;
import org.flowmatch4j.kernels.KernelBackend;
import org.flowmatch4j.kernels.Kernels;
import org.flowmatch4j.kernels.Parallel;

/**
 * What the two {@link FusedMlp} passes share: the MLP's live weight, bias and gradient arrays, the row-major API
 * buffers, the split of the batch into one block of rows per thread, and the sum of the blocks' partial gradients,
 * taken in block order so that results do not depend on timing. A subclass supplies its {@link PassBlock}: a block's
 * buffers and its forward, loss and backward passes in the subclass's layout.
 */
abstract class BlockedPass implements FusedPass {
    final Mlp mlp;
    final int batch;
    final int layers;
    final int[] widths;
    final float[][] w;
    final float[][] b;
    final float[][] dw;
    final float[][] db;
    final float[] input;
    final float[] output;
    final float[] outputGrad;
    final KernelBackend k;
    /** Number of blocks: one per thread, each of at least 16 rows (below that a second thread costs more than it saves). */
    final int parts;
    /** The target of the mse pass in flight. */
    float[] target;
    /** The blocks, set by the subclass's constructor ({@link #initBlocks}). */
    private PassBlock[] blocks;
    private final double[] losses;
    private final IntConsumer forwardTask = this::forwardBlock;
    private final IntConsumer backwardTask = p -> blocks[p].backward(true);
    private final IntConsumer mseTask = this::mseBlock;
    private final IntConsumer reduceTask = this::reduceSlice;
    private final IntConsumer trainTask = this::trainBlock;

    /** The blocks' partial gradients and their sum, and the update half of {@link #mseStepAndUpdate}; made with the blocks. */
    private OverlappedUpdate overlap;
    /** The weight packing and the batch, written by the threads of a pass before its forward pass. */
    private final PassPreparation preparation;

    BlockedPass(Mlp mlp, int batch) {
        this.mlp = mlp;
        this.batch = batch;
        this.k = Kernels.get();
        List<Linear> ls = mlp.layers();
        LinearArrays arrays = LinearArrays.of(ls);
        this.layers = arrays.depth();
        widths = arrays.widths();
        w = arrays.weights();
        b = arrays.biases();
        dw = new float[layers][];
        db = new float[layers][];
        for (int i = 0; i < layers; i++) {
            dw[i] = ls.get(i).weight().float32GradBuffer();
            db[i] = ls.get(i).bias().float32GradBuffer();
        }
        input = new float[batch * widths[0]];
        output = new float[batch * widths[layers]];
        outputGrad = new float[batch * widths[layers]];
        parts = Math.max(1, Math.min(Parallel.threads(), batch / 16));
        losses = new double[parts];
        preparation = new PassPreparation(parts, this::packSlice);
    }

    /** First row of block p. */
    final int blockStart(int p) {
        return (int) ((long) batch * p / parts);
    }

    /**
     * One thread's rows {@code [r0, r1)}: the subclass's buffers and passes, and the partial gradients (block 0's are
     * the parameters' own buffers, the others are summed into them).
     */
    abstract class PassBlock {
        final int r0;
        final int rows;
        final float[][] pdw = new float[layers][];
        final float[][] pdb = new float[layers][];

        PassBlock(int r0, int r1) {
            this.r0 = r0;
            this.rows = r1 - r0;
            boolean ownsGrad = r0 == 0;
            for (int i = 0; i < layers; i++) {
                pdw[i] = ownsGrad ? dw[i] : new float[dw[i].length];
                pdb[i] = ownsGrad ? db[i] : new float[db[i].length];
            }
        }

        /** Its rows of {@link #input} to its rows of {@link #output}. */
        abstract void forward();

        /** Its part of the mse: writes its rows of ∂L/∂output (including {@link #outputGrad}); returns Σ err². */
        abstract double mse();

        /**
         * The backward pass into its partial gradients; {@code fromOutputGrad}: the caller wrote {@link #outputGrad}.
         * Calls {@link #layerDone} for each layer, from the top down, once its weight and bias gradients are written
         * and its weights no longer read.
         */
        abstract void backward(boolean fromOutputGrad);

        /**
         * Block {@code index} is done with layer i and every layer above it: their gradients are written and their
         * weights will not be read again in this pass, so they may be updated.
         */
        final void layerDone(int i) {
            overlap.layerDone(index, i);
        }

        /** Its position in the blocks. */
        int index;
    }

    /** Makes block p of every part with {@code make.apply(r0, r1)}; called once by the subclass's constructor. */
    final void initBlocks(java.util.function.BiFunction<Integer, Integer, PassBlock> make) {
        blocks = new PassBlock[parts];
        for (int p = 0; p < parts; p++) {
            blocks[p] = make.apply(blockStart(p), blockStart(p + 1));
            blocks[p].index = p;
        }
        float[][][] partialW = new float[parts][][];
        float[][][] partialB = new float[parts][][];
        for (int p = 0; p < parts; p++) {
            partialW[p] = blocks[p].pdw;
            partialB[p] = blocks[p].pdb;
        }
        overlap = new OverlappedUpdate(mlp.layers(), partialW, partialB, k);
    }

    private void forwardBlock(int p) {
        if (preparation.run(p)) {
            blocks[p].forward();
        }
    }

    /**
     * Called on the caller before every pass with a forward pass (the weights may have changed since the last one),
     * before its threads run {@link #packSlice} for slices {@code 0 ..} {@link #packSlices()}.
     */
    void beginPacking() {
    }

    /** How many slices the per-pass weight packing is cut into (0: none). */
    int packSlices() {
        return 0;
    }

    /** Slice p of the per-pass weight packing, run by some thread of the pass before any block's forward pass. */
    void packSlice(int p) {
    }

    /** Sets up a pass with a forward pass: the packing, and the batch parts of {@code writer} (may be null). */
    private void beginPass(BatchWriter writer) {
        preparation.begin(packSlices(), writer);
        beginPacking();
    }

    @Override
    public final float[] input() {
        return input;
    }

    @Override
    public final float[] output() {
        return output;
    }

    @Override
    public final float[] outputGrad() {
        return outputGrad;
    }

    @Override
    public final int batch() {
        return batch;
    }

    /** Whether a forward pass ran since the last backward pass (whose input, the saved act'(z), it may overwrite). */
    private boolean forwardSaved;

    @Override
    public final float[] forward() {
        beginPass(null);
        try {
            Parallel.forEachChunk(parts, forwardTask);
        } finally {
            preparation.end();
        }
        forwardSaved = true;
        return output;
    }

    @Override
    public final double mseStep(float[] target) {
        runLossPass("mseStep", null, target, mseTask);
        reduceGradients();
        return meanLoss();
    }

    /**
     * {@link #mseStep} and then {@code update}'s step of every parameter, overlapped ({@link OverlappedUpdate}): a
     * thread that has finished its block's backward pass sums and updates slices of the layers whose gradients every
     * block has completed (the top layers first) while the others finish theirs. Each element is summed in block order
     * and updated once, so the result is, to the bit, that of {@code mseStep} followed by a whole step. If the loss is
     * not finite, nothing is updated ({@code beginStep} is not called); the gradients are written all the same. A
     * non-null {@code writer} writes the batch at the start of the pass, on its threads ({@link PassPreparation}); if
     * one of its parts throws, the pass stops there and nothing is updated.
     */
    @Override
    public final double mseStepAndUpdate(BatchWriter writer, float[] target, ElementwiseUpdate update) {
        overlap.begin(update);
        try {
            runLossPass("mseStepAndUpdate", writer, target, trainTask);
        } finally {
            overlap.end();
        }
        return meanLoss();
    }

    /**
     * Runs {@code task} over the blocks with {@code target} as the mse target; each block's task begins with its share
     * of the weight packing and of {@code writer}'s batch (may be null) and the wait for the rest.
     */
    private void runLossPass(String op, BatchWriter writer, float[] target, IntConsumer task) {
        if (target.length < output.length) {
            throw new IllegalArgumentException(op + ": target has " + target.length + " values, output has " + output.length);
        }
        beginPass(writer);
        this.target = target;
        forwardSaved = false;
        try {
            Parallel.forEachChunk(parts, task);
        } finally {
            this.target = null;
            preparation.end();
        }
    }

    /** The mse of the last pass: the blocks' sums of squared errors over all outputs. */
    private double meanLoss() {
        double s = 0;
        for (double l : losses) {
            s += l;
        }
        return s / output.length;
    }

    private void trainBlock(int p) {
        overlap.started(p);
        try {
            if (!preparation.run(p)) {
                overlap.abort();
                return;
            }
            PassBlock blk = blocks[p];
            blk.forward();
            losses[p] = blk.mse();
            overlap.lossDone(p);
            blk.backward(false);
            overlap.runTasks(losses);
        } catch (Throwable e) {
            overlap.abort();
            throw e;
        }
    }

    private void mseBlock(int p) {
        if (!preparation.run(p)) {
            return;
        }
        blocks[p].forward();
        losses[p] = blocks[p].mse();
        blocks[p].backward(false);
    }

    @Override
    public final double mseLossAndGrad(float[] target) {
        this.target = target;
        double s = 0;
        try {
            for (int p = 0; p < parts; p++) {
                s += blocks[p].mse();
            }
        } finally {
            this.target = null;
        }
        return s / output.length;
    }

    @Override
    public final void backward() {
        if (!forwardSaved) {
            throw new IllegalStateException("FusedMlp.backward: needs a forward pass since the last backward pass (the "
                    + "backward pass overwrites the activation derivatives the forward pass saves)");
        }
        forwardSaved = false;
        Parallel.forEachChunk(parts, backwardTask);
        reduceGradients();
    }

    /**
     * Adds the partial gradients of blocks 1.. into block 0's buffers (the parameters' own), in block order;
     * each thread takes one slice of every array, so the sums do not depend on the split.
     */
    private void reduceGradients() {
        if (parts > 1) {
            Parallel.forEachChunk(parts, reduceTask);
        }
    }

    private void reduceSlice(int c) {
        for (int i = 0; i < layers; i++) {
            reduceSlice(overlap.partialW(), c, i);
            reduceSlice(overlap.partialB(), c, i);
        }
    }

    /** Slice c of layer i's partial gradients summed into the parameter's own. */
    private void reduceSlice(float[][][] partials, int c, int i) {
        int n = partials[0][i].length;
        overlap.sumPartials(partials, i, (int) ((long) n * c / parts), (int) ((long) n * (c + 1) / parts));
    }
}
