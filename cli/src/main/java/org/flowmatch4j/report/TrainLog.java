package org.flowmatch4j.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.flowmatch4j.io.AtomicFiles;
import org.flowmatch4j.train.LossLog;

/**
 * The loss history of a training run as stored in a model directory's {@code train-log.csv}: a header
 * {@code step,loss,seconds} and one row per step.
 *
 * @param steps   step numbers
 * @param losses  losses (NaN or infinite values are kept, plots skip them)
 * @param seconds wall seconds since the start of training
 */
public record TrainLog(long[] steps, double[] losses, double[] seconds) {
    /** The file name inside a model directory. */
    public static final String FILE = "train-log.csv";
    private static final String HEADER = "step,loss,seconds";

    /** Number of rows. */
    public int size() {
        return steps.length;
    }

    /** Reads {@code file}; a malformed file fails with its name, line and the offending text. */
    public static TrainLog read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
            throw new IOException(file + ":1: expected the header '" + HEADER + "', got '" + (lines.isEmpty() ? "" : lines.get(0)) + "'");
        }
        int n = 0;
        long[] st = new long[lines.size() - 1];
        double[] lo = new double[st.length];
        double[] se = new double[st.length];
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 3) {
                throw new IOException(file + ":" + (i + 1) + ": expected 3 columns (step,loss,seconds), got " + f.length + ": '" + line + "'");
            }
            try {
                st[n] = Long.parseLong(f[0].strip());
                lo[n] = Double.parseDouble(f[1].strip());
                se[n] = Double.parseDouble(f[2].strip());
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 1) + ": not a number in '" + line + "'");
            }
            n++;
        }
        return new TrainLog(java.util.Arrays.copyOf(st, n), java.util.Arrays.copyOf(lo, n), java.util.Arrays.copyOf(se, n));
    }

    /** The log recorded by a {@link LossLog}. */
    public static TrainLog of(LossLog log) {
        int n = log.size();
        long[] st = new long[n];
        double[] lo = new double[n];
        double[] se = new double[n];
        for (int i = 0; i < n; i++) {
            st[i] = log.step(i);
            lo[i] = log.loss(i);
            se[i] = log.seconds(i);
        }
        return new TrainLog(st, lo, se);
    }

    /** Writes the log as {@code train-log.csv} (atomically). */
    public void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER.length() + 32 * size()).append(HEADER).append('\n');
        for (int i = 0; i < size(); i++) {
            sb.append(steps[i]).append(',').append(losses[i]).append(',').append(String.format(Locale.ROOT, "%.4f", seconds[i])).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /**
     * The losses averaged over at most {@code bins} consecutive, equally long runs of steps: {@code [0]} the mean
     * step of each bin, {@code [1]} its mean finite loss (NaN when a bin has none).
     */
    public double[][] binnedMeans(int bins) {
        int n = size();
        int b = Math.max(1, Math.min(bins, n));
        double[] x = new double[b];
        double[] y = new double[b];
        for (int k = 0; k < b; k++) {
            int from = (int) ((long) k * n / b);
            int to = (int) ((long) (k + 1) * n / b);
            double sx = 0;
            double sy = 0;
            int m = 0;
            for (int i = from; i < to; i++) {
                sx += steps[i];
                if (Double.isFinite(losses[i])) {
                    sy += losses[i];
                    m++;
                }
            }
            x[k] = sx / Math.max(1, to - from);
            y[k] = m == 0 ? Double.NaN : sy / m;
        }
        return new double[][] {x, y};
    }
}
