package org.flowmatch4j.nn;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.flowmatch4j.autodiff.ElementwiseUpdate;
import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.KernelBackend;

/**
 * The update half of {@link BlockedPass#mseStepAndUpdate}: the gradient sum {@code dW = Σ_p dW_p} (in block order)
 * and an {@link ElementwiseUpdate}'s step, cut into tasks of one slice of one layer, which the threads claim in order
 * as they finish their blocks' backward passes. The tasks run from the output layer down, the order in which the
 * layers complete; a layer's tasks wait until every block is done with that layer (its gradient written and its
 * weights no longer read). The update is begun by whoever runs the first task, and only if every block's loss is
 * finite. It also holds the blocks' partial gradients and the one routine that sums them ({@link #sumPartials}), which
 * {@link BlockedPass#mseStep} uses too.
 *
 * <p>Each element is summed and updated exactly once, by the same operations whoever runs it, so the result does not
 * depend on which thread takes which task. A thread leaves when no task is left, or when the next one waits on a
 * block that no other thread is running (under {@code Parallel}'s inline fallback the blocks run one after the other
 * on one thread, and the last one finishes the tasks); waiting is a spin on the blocks' progress.
 */
final class OverlappedUpdate {
    /**
     * Slices of about this many elements, at most {@link #MAX_SLICES} per weight: fine enough for the threads to end the
     * step together, coarse enough to keep the rows one thread updates together. A/B in one JVM, 8 K-element slices beat
     * the separate update in 42 of 60 chunk pairs at 256/256 but lost 12 of 16 at 512/1024, where 32–64 K slices are
     * even.
     */
    private static final int UPDATE_SLICE = 16384;
    private static final int MAX_SLICES = 8;

    private final List<Linear> linears;
    private final int layers;
    private final int parts;
    /** Per block, per layer: its partial gradients; block 0's are the parameters' own, which receive the sum. */
    private final float[][][] partialW;
    private final float[][][] partialB;
    private final KernelBackend k;
    /** The tasks in claiming order: layer, and the range of the layer's weight (the first slice also has the bias). */
    private final int[] taskLayer;
    private final int[] taskFrom;
    private final int[] taskTo;
    /** Per block: 0 before its loss, 1 after it, 1 + j once it is done with its top j layers. */
    private final AtomicIntegerArray progress;
    /** Per block: the thread running it in this step, null before it starts. */
    private final AtomicReferenceArray<Thread> runner;
    private final AtomicInteger nextTask = new AtomicInteger();
    private volatile boolean begun;
    private volatile boolean aborted;
    private ElementwiseUpdate update;
    /** The update the indices below were found for, and per layer the index of its weight and bias in its parameters. */
    private ElementwiseUpdate mapped;
    private final int[] weightParam;
    private final int[] biasParam;

    OverlappedUpdate(List<Linear> linears, float[][][] partialW, float[][][] partialB, KernelBackend k) {
        this.linears = linears;
        this.layers = linears.size();
        this.parts = partialW.length;
        this.partialW = partialW;
        this.partialB = partialB;
        this.k = k;
        int tasks = 0;
        for (int i = 0; i < layers; i++) {
            tasks += slices(i);
        }
        taskLayer = new int[tasks];
        taskFrom = new int[tasks];
        taskTo = new int[tasks];
        int t = 0;
        for (int i = layers - 1; i >= 0; i--) {
            int n = partialW[0][i].length;
            int s = slices(i);
            for (int c = 0; c < s; c++, t++) {
                taskLayer[t] = i;
                taskFrom[t] = (int) ((long) n * c / s);
                taskTo[t] = (int) ((long) n * (c + 1) / s);
            }
        }
        progress = new AtomicIntegerArray(parts);
        runner = new AtomicReferenceArray<>(parts);
        weightParam = new int[layers];
        biasParam = new int[layers];
    }

    private int slices(int i) {
        return Math.max(1, Math.min(MAX_SLICES, (partialW[0][i].length + UPDATE_SLICE / 2) / UPDATE_SLICE));
    }

    /**
     * Prepares a step with {@code u} (before the pass's parallel region).
     *
     * @throws IllegalArgumentException if u's parameters are not exactly the MLP's weights and biases
     */
    void begin(ElementwiseUpdate u) {
        mapParameters(u);
        update = u;
        for (int p = 0; p < parts; p++) {
            progress.set(p, 0);
            runner.set(p, null);
        }
        nextTask.set(0);
        begun = false;
        aborted = false;
    }

    /** After the parallel region: drops the references of the step. */
    void end() {
        update = null;
        for (int p = 0; p < parts; p++) {
            runner.set(p, null);
        }
    }

    /** Block p starts on the calling thread. */
    void started(int p) {
        runner.set(p, Thread.currentThread());
    }

    /** Block p's loss is written. */
    void lossDone(int p) {
        progress.set(p, 1);
    }

    /** Block p is done with layer i and every layer above it: gradients written, weights no longer read. */
    void layerDone(int p, int i) {
        progress.set(p, 1 + layers - i);
    }

    /** A block failed: the others stop waiting for it. */
    void abort() {
        aborted = true;
    }

    /** Claims and runs tasks (after this thread's block is done); {@code losses}: the blocks' sums of squared errors. */
    void runTasks(double[] losses) {
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
            int nb = partialB[0][i].length;
            sumPartials(partialW, i, from, to);
            if (withBias) {
                sumPartials(partialB, i, 0, nb);
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
                update.updateSlice(biasParam[i], 0, nb);
            }
        }
    }

    /**
     * Adds elements {@code [from, to)} of layer i's partial gradients of blocks 1.. into block 0's (the parameter's own),
     * in block order: the one sum of both {@link BlockedPass#mseStep} and the tasks here.
     *
     * @param partials {@code partialW} or {@code partialB}
     */
    void sumPartials(float[][][] partials, int i, int from, int to) {
        for (int q = 1; q < parts; q++) {
            k.axpy(to - from, 1f, partials[q][i], from, partials[0][i], from);
        }
    }

    /** Per block, per layer: the partial weight gradients (block 0's are the parameters' own). */
    float[][][] partialW() {
        return partialW;
    }

    /** Per block, per layer: the partial bias gradients. */
    float[][][] partialB() {
        return partialB;
    }

    /**
     * Waits until every block has reached {@code level}; false if one will not while this thread waits: it has not
     * started (its chunk runs later on this thread, or its thread is not scheduled; it then finishes the tasks
     * itself) or a block failed.
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

    /** Finds each layer's weight and bias among the update's parameters (once per update object). */
    private void mapParameters(ElementwiseUpdate u) {
        if (u == mapped) {
            return;
        }
        List<Var> ps = u.parameters();
        boolean[] seen = new boolean[ps.size()];
        for (int i = 0; i < layers; i++) {
            weightParam[i] = indexOf(ps, linears.get(i).weight(), seen);
            biasParam[i] = indexOf(ps, linears.get(i).bias(), seen);
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
                + Arrays.toString(v.value().shape()) + "; it must update exactly the MLP's parameters");
    }
}
