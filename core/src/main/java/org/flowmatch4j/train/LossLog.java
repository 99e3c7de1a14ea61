package org.flowmatch4j.train;

import java.util.Arrays;

/** Records (step, loss, seconds) of every step in memory (for train-log.csv and loss curves). */
public final class LossLog implements TrainingListener {
    private long[] steps = new long[1024];
    private double[] losses = new double[1024];
    private double[] seconds = new double[1024];
    private int size;

    @Override
    public void onStep(StepInfo info) {
        add(info.step(), info.loss(), info.seconds());
    }

    /** Appends a record (e.g. when a resumed run restores the log of the steps before its checkpoint). */
    public void add(long step, double loss, double secondsSinceStart) {
        if (size == steps.length) {
            int n = size * 2;
            steps = Arrays.copyOf(steps, n);
            losses = Arrays.copyOf(losses, n);
            seconds = Arrays.copyOf(seconds, n);
        }
        steps[size] = step;
        losses[size] = loss;
        seconds[size] = secondsSinceStart;
        size++;
    }

    /** Number of recorded steps. */
    public int size() {
        return size;
    }

    /** Step number of record i. */
    public long step(int i) {
        return steps[i];
    }

    /** Loss of record i. */
    public double loss(int i) {
        return losses[i];
    }

    /** Seconds since the start at record i. */
    public double seconds(int i) {
        return seconds[i];
    }

    /** Mean loss of the last {@code n} records (fewer if fewer were recorded). */
    public double meanOfLast(int n) {
        int from = Math.max(0, size - n);
        double s = 0;
        for (int i = from; i < size; i++) {
            s += losses[i];
        }
        return size == from ? Double.NaN : s / (size - from);
    }
}
