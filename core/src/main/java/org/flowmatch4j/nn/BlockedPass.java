package org.flowmatch4j.nn;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntConsumer;

import org.flowmatch4j.autodiff.ElementwiseUpdate;
import org.flowmatch4j.autodiff.Var;

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

    // ---- the training step with the update overlapped (mseStepAndUpdate)
    /**
     * Update slices: about this many elements, at most {@link #MAX_SLICES} per weight. Fine enough for the threads to
     * end the step together, coarse enough to keep the rows a thread updates together: A/B in one JVM, 8 K-element
     * slices beat the separate update in 42 of 60 chunk pairs at 256/256 but lost 12 of 16 at 512/1024, where
     * 32–64 K slices are even.
     */
    private static final int UPDATE_SLICE = 16384;
    private static final int MAX_SLICES = 8;
    /** The update tasks in the order they are claimed: the layers from the output down (the order they complete in). */
    private final int[] taskLayer;
    private final int[] taskFrom;
    private final int[] taskTo;
    /** Per block: 0 before its forward pass, 1 after its loss, 1 + j after the gradients of its top j layers. */
    private final AtomicIntegerArray progress;
    /** Per block: the thread running it in this step, null before it starts. */
    private final AtomicReferenceArray<Thread> runner;
    private final AtomicInteger nextTask = new AtomicInteger();
    private volatile boolean begun;
    private volatile boolean aborted;
    /** The update of the step in flight and, per layer, the index of its weight and bias in update.parameters(). */
    private ElementwiseUpdate update;
    private ElementwiseUpdate mapped;
    private final int[] weightParam;
    private final int[] biasParam;

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
        progress = new AtomicIntegerArray(parts);
        runner = new AtomicReferenceArray<>(parts);
        int tasks = 0;
        for (int i = 0; i < layers; i++) {
            tasks += slices(i);
        }
        taskLayer = new int[tasks];
        taskFrom = new int[tasks];
        taskTo = new int[tasks];
        int t = 0;
        for (int i = layers - 1; i >= 0; i--) {
            int n = dw[i].length;
            int s = slices(i);
            for (int c = 0; c < s; c++, t++) {
                taskLayer[t] = i;
                taskFrom[t] = (int) ((long) n * c / s);
                taskTo[t] = (int) ((long) n * (c + 1) / s);
            }
        }
        weightParam = new int[layers];
        biasParam = new int[layers];
    }

    /** Number of update tasks of layer i: its weight in slices (the first has the bias). */
    private int slices(int i) {
        return Math.max(1, Math.min(MAX_SLICES, (dw[i].length + UPDATE_SLICE / 2) / UPDATE_SLICE));
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
            progress.set(index, 1 + layers - i);
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
    }

    private void forwardBlock(int p) {
        blocks[p].forward();
    }

    /** Called before every forward pass (the weights may have changed since the last one). */
    void beforeForward() {
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
        beforeForward();
        Parallel.forEachChunk(parts, forwardTask);
        forwardSaved = true;
        return output;
    }

    @Override
    public final double mseStep(float[] target) {
        if (target.length < output.length) {
            throw new IllegalArgumentException("mseStep: target has " + target.length + " values, output has " + output.length);
        }
        beforeForward();
        this.target = target;
        forwardSaved = false;
        try {
            Parallel.forEachChunk(parts, mseTask);
        } finally {
            this.target = null;
        }
        reduceGradients();
        double s = 0;
        for (double l : losses) {
            s += l;
        }
        return s / output.length;
    }

    /**
     * {@link #mseStep} and then {@code update}'s step of every parameter, overlapped: a thread that has finished its
     * block's backward pass sums and updates slices of the layers whose gradients every block has completed (the top
     * layers first) while the others finish theirs. Each element is summed in block order and updated once, so the
     * result is, to the bit, that of {@code mseStep} followed by a whole step. If the loss is not finite, nothing is
     * updated ({@code beginStep} is not called); the gradients are written all the same.
     */
    @Override
    public final double mseStepAndUpdate(float[] target, ElementwiseUpdate update) {
        if (target.length < output.length) {
            throw new IllegalArgumentException("mseStepAndUpdate: target has " + target.length + " values, output has "
                    + output.length);
        }
        mapParameters(update);
        beforeForward();
        this.target = target;
        this.update = update;
        forwardSaved = false;
        for (int p = 0; p < parts; p++) {
            progress.set(p, 0);
            runner.set(p, null);
        }
        nextTask.set(0);
        begun = false;
        aborted = false;
        try {
            Parallel.forEachChunk(parts, trainTask);
        } finally {
            this.target = null;
            this.update = null;
            for (int p = 0; p < parts; p++) {
                runner.set(p, null);
            }
        }
        double s = 0;
        for (double l : losses) {
            s += l;
        }
        return s / output.length;
    }

    /** Finds each layer's weight and bias among the update's parameters (once per update object). */
    private void mapParameters(ElementwiseUpdate u) {
        if (u == mapped) {
            return;
        }
        List<Var> ps = u.parameters();
        List<Linear> ls = mlp.layers();
        boolean[] seen = new boolean[ps.size()];
        for (int i = 0; i < layers; i++) {
            weightParam[i] = indexOf(ps, ls.get(i).weight(), seen);
            biasParam[i] = indexOf(ps, ls.get(i).bias(), seen);
        }
        if (ps.size() != 2 * layers) {
            throw new IllegalArgumentException("mseStepAndUpdate: the update has " + ps.size() + " parameters; it must "
                    + "update exactly the MLP's " + 2 * layers);
        }
        mapped = u;
    }

    private static int indexOf(List<Var> ps, Var v, boolean[] seen) {
        for (int j = 0; j < ps.size(); j++) {
            if (ps.get(j) == v && !seen[j]) {
                seen[j] = true;
                return j;
            }
        }
        throw new IllegalArgumentException("mseStepAndUpdate: the update does not hold the MLP parameter of shape "
                + java.util.Arrays.toString(v.value().shape()) + "; it must update exactly the MLP's parameters");
    }

    private void trainBlock(int p) {
        runner.set(p, Thread.currentThread());
        try {
            PassBlock blk = blocks[p];
            blk.forward();
            losses[p] = blk.mse();
            progress.set(p, 1);
            blk.backward(false);
            runUpdateTasks();
        } catch (Throwable e) {
            aborted = true;
            throw e;
        }
    }

    /**
     * Claims update tasks in order until none is left or the next one waits on a block that no other thread is running
     * (under {@link Parallel}'s inline fallback the blocks run one after the other on this thread: the last one does the
     * rest).
     */
    private void runUpdateTasks() {
        if (!awaitAll(1)) {
            return;
        }
        boolean finite = true;
        for (double l : losses) {
            finite &= Double.isFinite(l);
        }
        while (true) {
            int t = nextTask.get();
            if (t >= taskLayer.length) {
                return;
            }
            int i = taskLayer[t];
            if (!awaitAll(1 + layers - i)) {
                return;
            }
            if (!nextTask.compareAndSet(t, t + 1)) {
                continue;
            }
            int from = taskFrom[t];
            int to = taskTo[t];
            boolean withBias = from == 0;
            for (int q = 1; q < parts; q++) {
                k.axpy(to - from, 1f, blocks[q].pdw[i], from, dw[i], from);
                if (withBias) {
                    k.axpy(db[i].length, 1f, blocks[q].pdb[i], 0, db[i], 0);
                }
            }
            if (!finite) {
                continue;
            }
            if (t == 0) {
                update.beginStep();
                begun = true;
            } else {
                while (!begun) {
                    if (aborted) {
                        return;
                    }
                    Thread.onSpinWait();
                }
            }
            update.updateSlice(weightParam[i], from, to);
            if (withBias) {
                update.updateSlice(biasParam[i], 0, db[i].length);
            }
        }
    }

    /**
     * Waits until every block has reached {@code level}; false if one will not while this thread waits: it has not
     * started (its chunk runs later on this thread, or its thread is not scheduled: it then finishes the tasks itself)
     * or a block failed.
     */
    private boolean awaitAll(int level) {
        Thread me = Thread.currentThread();
        for (int q = 0; q < parts; q++) {
            while (progress.get(q) < level) {
                Thread r = runner.get(q);
                if (aborted || r == null || r == me) {
                    return false;
                }
                Thread.onSpinWait();
            }
        }
        return true;
    }

    private void mseBlock(int p) {
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
            reduceSlice(dw[i], c, i, true);
            reduceSlice(db[i], c, i, false);
        }
    }

    private void reduceSlice(float[] sum, int c, int layer, boolean weight) {
        int from = (int) ((long) sum.length * c / parts);
        int to = (int) ((long) sum.length * (c + 1) / parts);
        for (int p = 1; p < parts; p++) {
            k.axpy(to - from, 1f, weight ? blocks[p].pdw[layer] : blocks[p].pdb[layer], from, sum, from);
        }
    }
}
