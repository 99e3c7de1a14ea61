package org.flowmatch4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.flowmatch4j.data.CsvReader;
import org.flowmatch4j.data.CsvWriter;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.likelihood.LikelihoodResult;
import org.flowmatch4j.model.GenerativeModel;
import org.flowmatch4j.solver.OdeSolver;
import org.flowmatch4j.tensor.Rng;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code flowmatch logprob}: exact log-likelihoods of points under a trained model. */
@Command(name = "logprob", mixinStandardHelpOptions = true,
        description = "Computes log p(x) in nats for each row of a CSV by integrating the divergence from t = 1 back to t = 0.")
public final class LogprobCommand implements Runnable {
    @Spec
    CommandSpec spec;
    @Option(names = "--model", required = true, description = "Model directory.")
    Path modelDir;
    @Option(names = "--input", required = true, description = "CSV of points (header row, one point per row).")
    Path input;
    @Option(names = "--out", required = true, description = "Output CSV with one column logprob, rows in input order.")
    Path out;
    @Option(names = "--divergence", defaultValue = "exact", description = "exact|hutchinson (default ${DEFAULT-VALUE}).")
    String divergence;
    @Option(names = "--probes", defaultValue = "1", description = "Hutchinson probes (default ${DEFAULT-VALUE}).")
    int probes;
    @Mixin
    SolverOptions solverOptions;
    @Option(names = "--seed", defaultValue = "0", description = "Seed of the Hutchinson probes (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--threads", description = "Worker threads (default: available processors).")
    Integer threads;
    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    @Override
    public void run() {
        DivergenceMethod method;
        try {
            method = DivergenceMethod.parse(divergence);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (probes < 1) {
            throw new ParameterException(spec.commandLine(), "--probes must be >= 1, got " + probes);
        }
        Parallel.setThreads(ThreadCount.resolve(spec, threads));
        long t0 = System.nanoTime();
        GenerativeModel model = SampleCommand.load(modelDir);
        OdeSolver solver = solverOptions.createFor(spec, model);
        Dataset x = CsvReader.read(input, 1);
        if (x.dim() != model.dim()) {
            throw new IllegalArgumentException(input + " has " + x.dim() + " columns, the model in " + modelDir + " has dimension "
                    + model.dim());
        }
        LikelihoodResult r = model.logProb(x.toArray(), x.size(), solver, method, probes, new Rng(seed));
        float[] col = new float[x.size()];
        for (int i = 0; i < col.length; i++) {
            col[i] = (float) r.logProb()[i];
        }
        try {
            CsvWriter.write(out, col, col.length, 1, List.of("logprob"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + out + ": " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        new Json1().put("command", "logprob").put("out", out.toString()).put("n", x.size()).put("nfe", r.nfe())
                .put("mean_logprob", r.mean()).put("seconds", seconds).print();
    }
}
