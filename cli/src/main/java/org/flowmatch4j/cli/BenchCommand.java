package org.flowmatch4j.cli;

import java.util.Locale;

import org.flowmatch4j.bench.CfmTrainStepBenchmark;
import org.flowmatch4j.bench.TrainStepResult;
import org.flowmatch4j.kernels.GemmBenchmark;
import org.flowmatch4j.kernels.Kernels;
import org.flowmatch4j.kernels.Parallel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowmatch bench …}: engine benchmarks (training step, GEMM), one JSON line each. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Engine benchmarks.",
        subcommands = {BenchCommand.TrainStep.class, BenchCommand.Gemm.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "choose a benchmark: train-step or gemm");
    }

    /** The CFM training-step benchmark (DESIGN.md §6 workload). */
    @Command(name = "train-step", mixinStandardHelpOptions = true,
            description = "Times CFM training steps of an MLP on 8 Gaussians (Adam, float32); prints JSON.")
    static final class TrainStep implements Runnable {
        @Option(names = "--hidden", defaultValue = "256", description = "Hidden width H (default ${DEFAULT-VALUE}).")
        int hidden;
        @Option(names = "--batch", defaultValue = "256", description = "Batch size B (default ${DEFAULT-VALUE}).")
        int batch;
        @Option(names = "--layers", defaultValue = "3", description = "Hidden layers L (default ${DEFAULT-VALUE}).")
        int layers;
        @Option(names = "--steps", defaultValue = "1000", description = "Timed steps (default ${DEFAULT-VALUE}).")
        int steps;
        @Option(names = "--chunk", defaultValue = "100", description = "Steps per timed chunk (default ${DEFAULT-VALUE}).")
        int chunk;
        @Option(names = "--warmup", defaultValue = "200", description = "Untimed warm-up steps (default ${DEFAULT-VALUE}).")
        int warmup;
        @Option(names = "--threads", description = "Worker threads (default: available processors).")
        Integer threads;
        @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--verbose", description = "Print stack traces of failures.")
        boolean verbose;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            Parallel.setThreads(ThreadCount.resolve(spec, threads));
            if (steps < 1 || chunk < 1 || warmup < 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--steps and --chunk must be >= 1 and --warmup >= 0");
            }
            long t0 = System.nanoTime();
            TrainStepResult r = new CfmTrainStepBenchmark(hidden, batch, layers, seed).run(steps, chunk, warmup);
            double seconds = (System.nanoTime() - t0) / 1e9;
            String json = r.toJson();
            System.out.println(json.substring(0, json.length() - 1) + String.format(Locale.ROOT, ",\"seconds\":%.3f}", seconds));
        }
    }

    /** Square single-precision GEMM throughput. */
    @Command(name = "gemm", mixinStandardHelpOptions = true, description = "Times an n×n×n float32 GEMM; prints GFLOP/s as JSON.")
    static final class Gemm implements Runnable {
        @Option(names = "--n", defaultValue = "1024", description = "Matrix size (default ${DEFAULT-VALUE}).")
        int n;
        @Option(names = "--threads", description = "Worker threads (default: available processors).")
        Integer threads;
        @Option(names = "--reps", defaultValue = "20", description = "Timed repetitions (default ${DEFAULT-VALUE}).")
        int reps;
        @Option(names = "--verbose", description = "Print stack traces of failures.")
        boolean verbose;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            int t = ThreadCount.resolve(spec, threads);
            Parallel.setThreads(t);
            if (n < 1 || reps < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--n and --reps must be >= 1");
            }
            long t0 = System.nanoTime();
            double gflops = GemmBenchmark.gflops(n, t, reps);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.println(String.format(Locale.ROOT, "{\"n\":%d,\"threads\":%d,\"gflops\":%.2f,\"backend\":\"%s\",\"seconds\":%.3f}",
                    n, t, gflops, Kernels.get().name(), seconds));
        }
    }
}
