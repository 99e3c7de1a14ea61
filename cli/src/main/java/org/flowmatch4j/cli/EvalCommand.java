package org.flowmatch4j.cli;

import java.nio.file.Path;

import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.ToyDatasets;
import org.flowmatch4j.eval.Evaluation;
import org.flowmatch4j.eval.EvaluationOptions;
import org.flowmatch4j.eval.EvaluationResult;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.model.GenerativeModel;
import org.flowmatch4j.solver.OdeSolver;
import org.flowmatch4j.tensor.Rng;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flowmatch eval}: scores a trained model against held-out data with
 * {@link org.flowmatch4j.eval.Evaluation} (W1, W2, RBF MMD², test NLL and bits per dimension, NFE, straightness).
 * A built-in data set is generated afresh with {@code new Rng(seed + }{@value #HELD_OUT_SEED_OFFSET}{@code )}, a
 * stream the training command never uses (it draws from {@code seed ^ 0x5EED}).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluates a model against held-out data: W1, W2, MMD, test NLL, bits/dim, NFE and path straightness.")
public final class EvalCommand implements Runnable {
    /** Offset of the seed of freshly generated held-out points from --seed. */
    static final long HELD_OUT_SEED_OFFSET = 1_000_003L;

    @Spec
    CommandSpec spec;
    @Option(names = "--model", required = true, description = "Model directory.")
    Path modelDir;
    @Option(names = "--data", required = true, description = "Built-in data set (generated afresh with seed K + 1000003) or a CSV"
            + " of held-out points (header row, the model's number of columns).")
    String data;
    @Option(names = "--n", defaultValue = "2000", description = "Samples drawn, and held-out points used at most (default ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--seed", defaultValue = "0", description = "Seed K of sampling, subsampling and generated held-out data (default ${DEFAULT-VALUE}).")
    long seed;
    @Mixin
    SolverOptions solverOptions;
    @Option(names = "--threads", description = "Worker threads (default: available processors).")
    Integer threads;
    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    @Override
    public void run() {
        if (n < 1) {
            throw new ParameterException(spec.commandLine(), "--n must be >= 1, got " + n);
        }
        Parallel.setThreads(ThreadCount.resolve(spec, threads));
        long t0 = System.nanoTime();
        GenerativeModel model = SampleCommand.load(modelDir);
        OdeSolver solver = solverOptions.createFor(spec, model);
        Dataset heldOut = DataSources.isToy(data)
                ? ToyDatasets.generate(data, n, new Rng(seed + HELD_OUT_SEED_OFFSET))
                : DataSources.load(data, seed);
        if (heldOut.dim() != model.dim()) {
            throw new ParameterException(spec.commandLine(), "--data " + data + " has " + heldOut.dim() + " columns, the model in "
                    + modelDir + " has dimension " + model.dim());
        }
        EvaluationResult r = Evaluation.evaluate(model, heldOut.toArray(), heldOut.size(), solver, EvaluationOptions.defaults(n, seed));
        new Json1().put("command", "eval").put("model", modelDir.toString()).put("data", data).put("n", n)
                .put("held_out", r.heldOut()).put("w1", r.w1().value()).put("w2", r.w2().value())
                .put("w2_estimator", r.w2().estimator()).put("mmd", r.mmd().mmd2()).put("mmd_bandwidth", r.mmd().bandwidth())
                .put("test_nll", r.testNll()).put("bits_per_dim", r.bitsPerDim()).put("nfe", r.nfe())
                .put("nfe_logprob", r.nfeLogprob()).put("straightness", r.chordStraightness()).put("seconds", (System.nanoTime() - t0) / 1e9)
                .print();
    }
}
