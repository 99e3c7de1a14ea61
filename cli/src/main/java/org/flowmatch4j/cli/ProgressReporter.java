package org.flowmatch4j.cli;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;

import org.flowmatch4j.train.StepInfo;
import org.flowmatch4j.train.TrainingListener;

/**
 * Training progress on stderr. On a terminal: a one-line bar redrawn in place ({@code \r}) at most ten times
 * a second, with the mean loss since the last redraw, steps/s and the time left. Otherwise (a pipe, a file,
 * CI logs): a plain line every tenth of the run, with the mean loss over that tenth.
 */
final class ProgressReporter implements TrainingListener {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR = 28;

    private final PrintStream out;
    private final boolean interactive;
    private long total;
    private long every;
    private double lossSum;
    private long lossCount;
    private long lastDraw;
    private int lastWidth;
    private long lastDrawnStep = -1;
    private double lastMean = Double.NaN;

    ProgressReporter(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** A reporter on {@code System.err} that draws a bar when the JVM runs on a terminal. */
    static ProgressReporter onStderr() {
        return new ProgressReporter(System.err, isTerminal());
    }

    /**
     * Whether the JVM is attached to a terminal: a console exists and, on Java 22+ (where {@code System.console()}
     * is non-null also for redirected streams), {@code Console.isTerminal()} says so.
     */
    static boolean isTerminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // Java 17–21: a non-null console is a terminal
        }
    }

    @Override
    public void onStart(long totalSteps) {
        total = totalSteps;
        every = Math.max(1, totalSteps / 10);
        lastDraw = System.nanoTime();
    }

    @Override
    public void onStep(StepInfo s) {
        if (Double.isFinite(s.loss())) {
            lossSum += s.loss();
            lossCount++;
        }
        if (interactive) {
            long now = System.nanoTime();
            if (now - lastDraw >= REDRAW_NANOS || s.step() == total) {
                lastDraw = now;
                draw(s);
            }
        } else if (s.step() % every == 0 || s.step() == total) {
            out.printf(Locale.ROOT, "step %d/%d  loss %.4f  %.0f steps/s%n", s.step(), total, meanLoss(), rate(s));
            out.flush();
        }
    }

    @Override
    public void onEnd(StepInfo last) {
        if (interactive) {
            if (last.step() != lastDrawnStep) {
                draw(last);
            }
            out.println();
            out.flush();
        }
    }

    private void draw(StepInfo s) {
        lastDrawnStep = s.step();
        double frac = total == 0 ? 1 : Math.min(1, (double) s.step() / total);
        int filled = (int) Math.round(frac * BAR);
        StringBuilder bar = new StringBuilder(BAR + 2).append('[');
        for (int i = 0; i < BAR; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        bar.append(']');
        double rate = rate(s);
        long left = rate > 0 ? Math.round((total - s.step()) / rate) : 0;
        String line = String.format(Locale.ROOT, "train %s %3.0f%%  %d/%d  loss %.4f  %.0f steps/s  ETA %d:%02d", bar, 100 * frac, s.step(),
                total, meanLoss(), rate, left / 60, left % 60);
        // pad with spaces so a shorter line fully covers the previous one
        int pad = Math.max(0, lastWidth - line.length());
        lastWidth = line.length();
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
    }

    /** Mean finite loss since the last report (the previous mean when no step came since); resets the accumulator. */
    private double meanLoss() {
        double m = lossCount == 0 ? lastMean : lossSum / lossCount;
        lastMean = m;
        lossSum = 0;
        lossCount = 0;
        return m;
    }

    private static double rate(StepInfo s) {
        return s.step() / Math.max(1e-9, s.seconds());
    }
}
