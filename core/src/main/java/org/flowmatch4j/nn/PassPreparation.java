package org.flowmatch4j.nn;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntConsumer;

/**
 * What a {@link BlockedPass} does before its forward pass, done by its threads inside the pass's parallel region: the
 * slices of the weight packing and the parts of a {@link BatchWriter}. One parallel region per pass instead of one for
 * the batch, one for the packing and one for the pass: each region's start and end cost the step a few microseconds on
 * an idle machine and tens on a loaded one, where the two threads rarely arrive together.
 *
 * <p>Each unit is claimed by exactly one thread (a compare-and-set), so it runs once whoever runs it. The thread of
 * block p takes its own units first (packing slice p, batch parts c ≡ p mod blocks), then any unit still free, and
 * then waits for the units other threads are running. It never waits for a unit nobody has claimed, so when the
 * {@code Parallel} pool runs the blocks one after the other on one thread, the first block does all of the work.
 */
final class PassPreparation {
    private static final int FREE = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    private static final int FAILED = 3;

    private final int blocks;
    private final IntConsumer packSlice;
    private AtomicIntegerArray state = new AtomicIntegerArray(0);
    private int packSlices;
    private BatchWriter writer;
    private int units;

    /**
     * @param blocks    the pass's blocks (one per thread)
     * @param packSlice runs slice p of the weight packing, {@code 0 ≤ p < } the count given to {@link #begin}
     */
    PassPreparation(int blocks, IntConsumer packSlice) {
        this.blocks = blocks;
        this.packSlice = packSlice;
    }

    /** Sets up a pass (on the caller, before its region): {@code packSlices} slices, and {@code writer}'s parts (may be null). */
    void begin(int packSlices, BatchWriter writer) {
        int parts = writer == null ? 0 : writer.parts();
        if (parts < 0) {
            throw new IllegalArgumentException("BatchWriter.parts() must be at least 0, got " + parts);
        }
        this.packSlices = packSlices;
        this.writer = writer;
        this.units = packSlices + parts;
        if (state.length() < units) {
            state = new AtomicIntegerArray(units);
        } else {
            for (int u = 0; u < units; u++) {
                state.set(u, FREE);
            }
        }
    }

    /** After the region: drops the writer. */
    void end() {
        writer = null;
    }

    /**
     * Block p's share, then the wait for the rest; false if a unit failed on another thread (whose exception the
     * region rethrows), and the block must not go on.
     */
    boolean run(int p) {
        if (p < packSlices) {
            claimAndRun(p);
        }
        for (int c = p; c < units - packSlices; c += blocks) {
            claimAndRun(packSlices + c);
        }
        for (int u = 0; u < units; u++) {
            claimAndRun(u);
        }
        for (int u = 0; u < units; u++) {
            int s;
            while ((s = state.get(u)) != DONE) {
                if (s == FAILED) {
                    return false;
                }
                Thread.onSpinWait();
            }
        }
        return true;
    }

    private void claimAndRun(int u) {
        if (state.get(u) != FREE || !state.compareAndSet(u, FREE, RUNNING)) {
            return;
        }
        try {
            if (u < packSlices) {
                packSlice.accept(u);
            } else {
                writer.write(u - packSlices);
            }
            state.set(u, DONE);
        } catch (Throwable e) {
            state.set(u, FAILED);
            throw e;
        }
    }
}
