package org.flowmatch4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.Standardization;
import org.flowmatch4j.fm.TrainingSettings;
import org.flowmatch4j.io.AtomicFiles;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.model.Factories;
import org.flowmatch4j.model.FlowMatchingModel;
import org.flowmatch4j.model.ModelConfig;
import org.flowmatch4j.path.PredictionTarget;
import org.flowmatch4j.train.LossLog;
import org.flowmatch4j.train.StepInfo;
import org.flowmatch4j.train.TrainingListener;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code flowmatch train}: trains a Flow Matching model and writes a model directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains a Flow Matching model on a built-in data set or a CSV file; writes DIR/model.safetensors, "
                + "DIR/config.json and DIR/train-log.csv.")
public final class TrainCommand implements Runnable {
    @Spec
    CommandSpec spec;
    @Option(names = "--data", required = true, description = "Built-in data (8gaussians, moons, circles, checkerboard, spirals, swissroll, pinwheel, cat) or a CSV file.")
    String data;
    @Option(names = "--out", required = true, description = "Model directory to write.")
    Path out;
    @Option(names = "--force", description = "Overwrite a non-empty --out directory.")
    boolean force;
    @Option(names = "--steps", defaultValue = "5000", description = "Optimiser steps (default ${DEFAULT-VALUE}).")
    long steps;
    @Option(names = "--batch", defaultValue = "256", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--hidden", defaultValue = "128", description = "Hidden width (default ${DEFAULT-VALUE}).")
    int hidden;
    @Option(names = "--layers", defaultValue = "3", description = "Hidden layers (default ${DEFAULT-VALUE}).")
    int layers;
    @Option(names = "--activation", defaultValue = "silu", description = "silu|selu|relu|tanh|gelu (default ${DEFAULT-VALUE}).")
    String activation;
    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;
    @Option(names = "--path", defaultValue = "condot", description = "condot|gaussian|sb|polynomial|cosine|vp|linear-vp (default ${DEFAULT-VALUE}).")
    String path;
    @Option(names = "--sigma", description = "σ_min of condot, noise of gaussian and sb (default 0, 0.1, 0.1).")
    Double sigma;
    @Option(names = "--coupling", defaultValue = "independent", description = "independent|exact-ot|sinkhorn (default ${DEFAULT-VALUE}).")
    String coupling;
    @Option(names = "--target", defaultValue = "velocity", description = "velocity|x1|eps (default ${DEFAULT-VALUE}).")
    String target;
    @Option(names = "--ema", defaultValue = "0", description = "EMA decay of the weights, 0 = off (default ${DEFAULT-VALUE}).")
    double ema;
    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--threads", description = "Worker threads (default: available processors).")
    Integer threads;
    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    @Override
    public void run() {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be >= 1, got " + t);
        }
        try {
            Activation.parse(activation);
            boolean affine = Factories.path(path, sigma == null ? Double.NaN : sigma) instanceof org.flowmatch4j.path.AffinePath;
            Factories.coupling(coupling);
            PredictionTarget t0 = PredictionTarget.parse("eps".equals(target) ? "epsilon" : target);
            if (t0 != PredictionTarget.VELOCITY && !affine) {
                throw new IllegalArgumentException("--target " + target + " needs an affine path (condot, polynomial, cosine, vp, linear-vp); "
                        + "path " + path + " trains velocity only");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (Files.isDirectory(out) && !force && isNonEmpty(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " exists and is not empty; use --force to overwrite");
        }
        Parallel.setThreads(t);
        long t0 = System.nanoTime();
        Dataset ds = DataSources.load(data, seed);
        Standardization norm = Standardization.fit(ds);
        String tgt = "eps".equals(target) ? "epsilon" : target;
        double sig = sigma == null ? Factories.defaultSigma(path) : sigma;
        ModelConfig cfg = new ModelConfig(ModelConfig.FORMAT_VERSION, "fm", ds.dim(), hidden, layers, activation.toLowerCase(Locale.ROOT),
                "concat", path, Double.isNaN(sig) ? 0.0 : sig, tgt, coupling, norm.mean(), norm.std(), ds.columnNames(), data, seed,
                steps, batch, lr, ema, t);
        FlowMatchingModel model = FlowMatchingModel.create(cfg);
        LossLog log = new LossLog();
        List<TrainingListener> ls = new ArrayList<>();
        ls.add(log);
        ls.add(new ProgressListener());
        model.train(ds, new TrainingSettings(steps, batch, lr, ema, 0, seed), ls);
        try {
            model.save(out);
            StringBuilder sb = new StringBuilder("step,loss,seconds\n");
            for (int i = 0; i < log.size(); i++) {
                sb.append(log.step(i)).append(',').append(log.loss(i)).append(',')
                        .append(String.format(Locale.ROOT, "%.4f", log.seconds(i))).append('\n');
            }
            AtomicFiles.writeString(out.resolve("train-log.csv"), sb.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write model directory " + out + ": " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        new Json1().put("command", "train").put("out", out.toString()).put("data", data).put("rows", ds.size()).put("dim", ds.dim())
                .put("steps", steps).put("final_loss", log.meanOfLast(100)).put("seconds", seconds).print();
    }

    private static boolean isNonEmpty(Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return true;
        }
    }

    /** Periodic progress lines on stderr (step, loss, steps/s). */
    static final class ProgressListener implements TrainingListener {
        private long total;
        private long every;

        @Override
        public void onStart(long totalSteps) {
            total = totalSteps;
            every = Math.max(1, totalSteps / 10);
        }

        @Override
        public void onStep(StepInfo s) {
            if (s.step() % every == 0 || s.step() == total) {
                System.err.printf(Locale.ROOT, "step %d/%d  loss %.4f  %.0f steps/s%n", s.step(), total, s.loss(),
                        s.step() / Math.max(1e-9, s.seconds()));
            }
        }
    }
}
