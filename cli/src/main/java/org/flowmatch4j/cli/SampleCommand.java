package org.flowmatch4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.flowmatch4j.data.CsvStreamWriter;
import org.flowmatch4j.data.CsvWriter;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.Standardization;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.model.GenerativeModel;
import org.flowmatch4j.model.Models;
import org.flowmatch4j.model.Samples;
import org.flowmatch4j.solver.OdeSolver;
import org.flowmatch4j.solver.Recording;
import org.flowmatch4j.solver.Trajectory;
import org.flowmatch4j.tensor.Rng;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code flowmatch sample}: draws samples from a trained model by integrating its flow from noise. */
@Command(name = "sample", mixinStandardHelpOptions = true, description = "Draws samples from a trained model; writes a CSV with header x0,x1,…")
public final class SampleCommand implements Runnable {
    @Spec
    CommandSpec spec;
    @Option(names = "--model", required = true, description = "Model directory.")
    Path modelDir;
    @Option(names = "--n", required = true, description = "Number of samples.")
    int n;
    @Option(names = "--out", required = true, description = "Output CSV.")
    Path out;
    @Mixin
    SolverOptions solverOptions;
    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--trajectories", description = "Also write the paths (sample, t, x0, x1, …) of the first min(n, 1000) samples at every solver step.")
    Path trajectories;
    @Option(names = "--threads", description = "Worker threads (default: available processors).")
    Integer threads;
    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    static final int TRAJECTORY_SAMPLES = 1000;

    @Override
    public void run() {
        if (n < 1) {
            throw new ParameterException(spec.commandLine(), "--n must be >= 1, got " + n);
        }
        Parallel.setThreads(ThreadCount.resolve(spec, threads));
        long t0 = System.nanoTime();
        GenerativeModel model = load(modelDir);
        OdeSolver solver = solverOptions.createFor(spec, model);
        int d = model.dim();
        Rng rng = new Rng(seed);
        // samples are generated and written in chunks, so a huge --n never holds everything in memory
        int chunk = 200_000;
        long nfe = 0;
        List<String> names = Dataset.defaultColumnNames(d);
        try (CsvStreamWriter w = CsvStreamWriter.open(out, names)) {
            for (int done = 0; done < n; done += chunk) {
                int rows = Math.min(chunk, n - done);
                boolean record = trajectories != null && done == 0;
                Samples s = model.sample(rows, solver, rng, record && model.usesSolver() ? Recording.everyStep() : Recording.none());
                w.appendRows(s.values(), 0, rows);
                nfe += s.nfe();
                if (record) {
                    writeTrajectories(s, model.normalization(), d, Math.min(rows, TRAJECTORY_SAMPLES));
                }
            }
            w.commit();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + out + ": " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        new Json1().put("command", "sample").put("out", out.toString()).put("n", n).put("method", model.method()).put("solver", solver == null ? "one-pass" : solver.name()).put("nfe", nfe)
                .put("seconds", seconds).print();
    }

    private void writeTrajectories(Samples s, Standardization norm, int d, int keep) throws IOException {
        Trajectory tr = s.trajectory().orElseThrow();
        int cols = d + 2;
        float[] rows = new float[tr.size() * keep * cols];
        float[] buf = new float[d];
        int r = 0;
        for (int i = 0; i < keep; i++) {
            for (int k = 0; k < tr.size(); k++) {
                double[] st = tr.state(k);
                for (int j = 0; j < d; j++) {
                    buf[j] = (float) st[i * d + j];
                }
                norm.invertInPlace(buf, 0, 1);
                rows[r * cols] = i;
                rows[r * cols + 1] = (float) tr.time(k);
                System.arraycopy(buf, 0, rows, r * cols + 2, d);
                r++;
            }
        }
        List<String> names = new ArrayList<>();
        names.add("sample");
        names.add("t");
        names.addAll(Dataset.defaultColumnNames(d));
        CsvWriter.write(trajectories, rows, r, cols, names);
    }

    static GenerativeModel load(Path dir) {
        try {
            return Models.load(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
