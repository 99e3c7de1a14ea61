package org.flowmatch4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;

import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.Standardization;
import org.flowmatch4j.fm.FlowMatchingTrainer;
import org.flowmatch4j.fm.TrainingSettings;
import org.flowmatch4j.io.AtomicFiles;
import org.flowmatch4j.io.Checkpoint;
import org.flowmatch4j.io.CheckpointListener;
import org.flowmatch4j.io.CheckpointStore;
import org.flowmatch4j.io.Json;
import org.flowmatch4j.io.JsonObject;
import org.flowmatch4j.io.LoadedCheckpoint;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.model.Factories;
import org.flowmatch4j.model.FlowMatchingModel;
import org.flowmatch4j.model.ModelConfig;
import org.flowmatch4j.path.PredictionTarget;
import org.flowmatch4j.train.LossLog;
import org.flowmatch4j.train.StepInfo;
import org.flowmatch4j.train.TrainingDivergedException;
import org.flowmatch4j.train.TrainingListener;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flowmatch train}: trains a Flow Matching model and writes a model directory, checkpointing into
 * {@code DIR/checkpoints/} as it goes; {@code --resume DIR} continues such a run bit for bit, {@code --config}
 * reads the options from a YAML/JSON file.
 *
 * <p>Resume takes the options from the checkpoint. Of those given again, only {@link #RESUMABLE} ones may
 * differ (e.g. a larger {@code --steps} extends the run, a lower {@code --lr} continues after a divergence);
 * any other one that differs would change the model or the data and is refused. If the newest checkpoint is
 * damaged, resume continues from the previous one (two are kept for this reason), reports the damaged file
 * on stderr and renames it to {@code *.corrupt}; if none loads it fails naming every file and its problem.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains a Flow Matching model on a built-in data set or a CSV file; writes DIR/model.safetensors, "
                + "DIR/config.json, DIR/train-log.csv and DIR/train-config.yaml (the effective options), with checkpoints in "
                + "DIR/checkpoints/ to continue from with --resume DIR.")
public final class TrainCommand implements Runnable {
    /** Options that may change when a run is resumed (none of them changes the model or the data). */
    static final Set<String> RESUMABLE = Set.of("steps", "batch", "lr", "threads", "checkpoint-every");
    /** Options that say what to do rather than how to train: not in config files' output, not compared on resume. */
    static final Set<String> ACTIONS = Set.of("config", "resume", "force", "verbose");
    /** Name of the effective configuration written into the model directory. */
    static final String EFFECTIVE_CONFIG = "train-config.yaml";
    static final String CHECKPOINTS = "checkpoints";
    static final int KEEP_CHECKPOINTS = 2;

    @Spec
    CommandSpec spec;
    @Option(names = "--data", description = "Built-in data (8gaussians, moons, circles, checkerboard, spirals, swissroll, pinwheel, cat) or a CSV "
            + "file (required unless --resume).")
    String data;
    @Option(names = "--out", description = "Model directory to write (required unless --resume).")
    Path out;
    @Option(names = "--force", description = "Overwrite a non-empty --out directory (its old checkpoints are deleted).")
    boolean force;
    @Option(names = "--config", paramLabel = "FILE", description = "Read options from a YAML or JSON file (keys are the option names "
            + "without dashes, e.g. 'steps: 2000'); options on the command line win.")
    Path config;
    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR from its newest valid checkpoint, with its "
            + "options; only --steps, --batch, --lr, --threads and --checkpoint-every may change. A damaged newest checkpoint is reported, "
            + "renamed to *.corrupt and the previous one used.")
    Path resume;
    @Option(names = "--checkpoint-every", defaultValue = "500", description = "Write DIR/checkpoints/checkpoint-STEP.safetensors every N steps "
            + "and at the end, keeping the last 2; 0 = off (default ${DEFAULT-VALUE}).")
    long checkpointEvery;
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
    @Option(names = "--threads", description = "Worker threads (default: available processors; on --resume: the run's).")
    Integer threads;
    @Option(names = "--method", defaultValue = "fm", description = "fm|nf|cnf|diffusion|reflow (default ${DEFAULT-VALUE}): Flow Matching, a "
            + "RealNVP normalizing flow, a CNF by maximum likelihood, VP-SDE diffusion (ε-prediction), or reflow of a Flow Matching teacher.")
    String method;
    @Option(names = "--standardize", defaultValue = "per-column", description = "per-column (default): train on data scaled "
            + "to zero mean and unit variance per column, so --sigma and the OT cost are in those units; none: on the data as "
            + "given (to match a reference that applies sigma in data units).")
    String standardize;
    @Option(names = "--toy-points", defaultValue = "" + DataSources.TOY_POINTS, description = "Built-in data: points drawn "
            + "from the generator to train on (default ${DEFAULT-VALUE}); steps × batch of them is as good as fresh data every "
            + "step. Refused with a CSV.")
    int toyPoints;
    @Option(names = "--time-embedding", description = "fm, diffusion, reflow: how t enters the network, concat|fourier "
            + "(default concat).")
    String timeEmbedding;
    @Option(names = "--teacher", paramLabel = "DIR", description = "reflow: the trained fm/reflow model whose pairs to train on (default: "
            + "train an fm teacher first with the same options, saved in OUT/teacher).")
    Path teacher;
    @Option(names = "--reflow-pairs", description = "reflow: pairs (x0, x1) generated by the teacher (default 20000).")
    Integer reflowPairs;
    @Option(names = "--couplings", description = "nf: affine coupling layers (default 8).")
    Integer couplings;
    @Option(names = "--cnf-solver", description = "cnf: solver of the training ODE, euler|midpoint|heun|rk4|dopri5 (default rk4).")
    String cnfSolver;
    @Option(names = "--cnf-steps", description = "cnf: steps of a fixed-step training solver (default 8).")
    Integer cnfSteps;
    @Option(names = "--divergence", description = "cnf: exact|hutchinson divergence during training (default exact).")
    String divergence;
    @Option(names = "--probes", description = "cnf: Hutchinson probes per solve (default 1).")
    Integer probes;
    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    /** Keys the config file set (those the command line did not give). */
    Set<String> fromConfigFile = Set.of();

    @Override
    public void run() {
        if (config != null) {
            fromConfigFile = ConfigFile.apply(spec, ConfigFile.read(spec, config), "config file " + config, Set.of("config"));
        }
        MethodOptions.check(this);
        if (MethodOptions.isOwnRun(method)) {
            new MethodRun(this).run();
            return;
        }
        LoadedCheckpoint from = resume == null ? null : loadResumePoint();
        MethodOptions.applyFixed(this);
        if (data == null) {
            throw new ParameterException(spec.commandLine(), "--data is required (a built-in data set or a CSV file), unless --resume DIR");
        }
        if (out == null) {
            throw new ParameterException(spec.commandLine(), "--out is required (the model directory to write), unless --resume DIR");
        }
        int t = ThreadCount.resolve(spec, threads);
        if (checkpointEvery < 0) {
            throw new ParameterException(spec.commandLine(), "--checkpoint-every must be >= 0 (0 = off), got " + checkpointEvery);
        }
        TrainingSettings settings;
        try {
            Activation.parse(activation);
            boolean affine = Factories.path(path, sigma == null ? Double.NaN : sigma) instanceof org.flowmatch4j.path.AffinePath;
            Factories.coupling(coupling);
            PredictionTarget t0 = PredictionTarget.parse("eps".equals(target) ? "epsilon" : target);
            if (t0 != PredictionTarget.VELOCITY && !affine) {
                throw new IllegalArgumentException("--target " + target + " needs an affine path (condot, polynomial, cosine, vp, linear-vp); "
                        + "path " + path + " trains velocity only");
            }
            settings = new TrainingSettings(steps, batch, lr, ema, 0, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (from != null && steps < from.checkpoint().step()) {
            throw new ParameterException(spec.commandLine(), "--steps " + steps + " is below the step of the checkpoint to resume from ("
                    + from.checkpoint().step() + ", " + from.file() + ")");
        }
        if (from == null && Files.isDirectory(out) && !force && isNonEmpty(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " exists and is not empty; use --force to overwrite"
                    + (Files.isDirectory(out.resolve(CHECKPOINTS)) ? " (or --resume " + out + " to continue its checkpointed run)" : ""));
        }
        // the resolved values are what the run uses, so they are what the saved configuration records
        threads = t;
        double sig = sigma == null ? Factories.defaultSigma(path) : sigma;
        sigma = Double.isNaN(sig) ? null : sig;

        Parallel.setThreads(t);
        long t0 = System.nanoTime();
        Dataset ds = loadData();
        Map<String, Object> fingerprint = fingerprint(ds);
        Standardization norm;
        if (from != null) {
            norm = checkData(from, ds, fingerprint);
        } else {
            norm = normalization(ds);
        }
        String tgt = "eps".equals(target) ? "epsilon" : target;
        ModelConfig cfg = new ModelConfig(ModelConfig.FORMAT_VERSION, method, ds.dim(), hidden, layers, activation.toLowerCase(Locale.ROOT),
                timeEmbedding, path, sigma == null ? 0.0 : sigma, tgt, coupling, norm.mean(), norm.std(), ds.columnNames(), data, seed,
                steps, batch, lr, ema, t);
        FlowMatchingModel model = FlowMatchingModel.create(cfg);
        FlowMatchingTrainer trainer = model.trainer(settings);
        LossLog log = new LossLog();
        if (from != null) {
            try {
                CheckpointListener.resume(from.checkpoint(), trainer, log);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(from.file() + ": " + e.getMessage(), e);
            }
        }
        Map<String, Object> options = ConfigFile.effective(spec, MethodOptions.notSaved(method));
        CheckpointStore store = new CheckpointStore(out.resolve(CHECKPOINTS), KEEP_CHECKPOINTS);
        try {
            Files.createDirectories(out);
            if (from == null) {
                store.discardNewerThan(-1); // an overwritten (--force) directory's checkpoints belong to another run
            }
            AtomicFiles.writeString(out.resolve(EFFECTIVE_CONFIG), ConfigFile.toYaml(options));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model directory " + out + ": " + e.getMessage(), e);
        }
        List<TrainingListener> ls = new ArrayList<>();
        ls.add(log);
        CheckpointListener checkpoints = null;
        if (checkpointEvery > 0) {
            Map<String, Object> runConfig = new LinkedHashMap<>();
            runConfig.put("model", Json.parse(cfg.toJson()));
            runConfig.put("options", options);
            runConfig.put("data", fingerprint);
            checkpoints = new CheckpointListener(store, checkpointEvery, trainer, Json.write(runConfig), log);
            ls.add(checkpoints);
        }
        ls.add(ProgressReporter.onStderr());
        try {
            model.train(ds, trainer, ls);
        } catch (TrainingDivergedException e) {
            Path last = checkpoints == null ? null : checkpoints.lastSaved();
            if (last == null && from != null) {
                last = from.file();
            }
            throw new IllegalStateException(e.getMessage() + "; " + (last == null ? "no checkpoint was written before it"
                    : "the last good checkpoint is " + last + ": continue from it with 'flowmatch train --resume " + out + " --lr <lower>'"), e);
        }
        saveRun(model, log, out);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Json1 summary = new Json1().put("command", "train").put("method", method).put("out", out.toString()).put("data", data)
                .put("rows", ds.size()).put("dim", ds.dim()).put("steps", steps).put("final_loss", log.meanOfLast(100)).put("seconds", seconds);
        if (from != null) {
            summary.put("resumed_from_step", from.checkpoint().step());
        }
        summary.print();
    }

    /**
     * Loads DIR's newest valid checkpoint and takes the run's options from it: those not given again are set
     * from it; those given again must agree unless {@link #RESUMABLE}.
     */
    private LoadedCheckpoint loadResumePoint() {
        if (out != null && !out.normalize().equals(resume.normalize())) {
            throw new ParameterException(spec.commandLine(), "--resume " + resume + " continues the run in that directory; --out must be left out "
                    + "(got --out " + out + ")");
        }
        if (!Files.isDirectory(resume)) {
            throw new IllegalStateException("--resume " + resume + ": no such directory");
        }
        CheckpointStore store = new CheckpointStore(resume.resolve(CHECKPOINTS), KEEP_CHECKPOINTS);
        LoadedCheckpoint loaded;
        try {
            loaded = store.loadLatest().orElseThrow(() -> new IllegalStateException("--resume " + resume + ": " + store.dir()
                    + " holds no checkpoint (was the run trained with --checkpoint-every 0?)"));
            for (String problem : loaded.skipped()) {
                spec.commandLine().getErr().println("flowmatch: warning: skipping a damaged checkpoint: " + problem);
            }
            // damaged newer files are kept for inspection under another name; the store must not see them again
            for (long s : store.steps()) {
                if (s > loaded.checkpoint().step()) {
                    Path f = store.pathFor(s);
                    Files.move(f, f.resolveSibling(f.getFileName() + ".corrupt"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        JsonObject saved;
        try {
            saved = loaded.checkpoint().config().object("options");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(loaded.file() + ": its config is not a train run's (" + e.getMessage() + ")", e);
        }
        String source = "checkpoint " + loaded.file();
        Map<String, OptionSpec> settable = ConfigFile.settable(spec, ACTIONS);
        for (String k : saved.keys()) {
            if (!settable.containsKey(k)) {
                throw new IllegalStateException(source + ": option '" + k + "' is unknown to this version of flowmatch");
            }
        }
        Set<String> given = new java.util.HashSet<>();
        for (Map.Entry<String, OptionSpec> e : settable.entrySet()) {
            if (spec.commandLine().getParseResult().hasMatchedOption(e.getValue())) {
                given.add(e.getKey());
            }
        }
        given.addAll(fromConfigFile); // a config file's values count as given too
        List<String> conflicts = new ArrayList<>();
        ConfigFile.Converter converter = new ConfigFile.Converter(spec, source);
        for (Map.Entry<String, OptionSpec> e : settable.entrySet()) {
            String k = e.getKey();
            if ("out".equals(k)) {
                continue;
            }
            OptionSpec o = e.getValue();
            Object was = saved.has(k) ? converter.convert(o, saved.asMap().get(k)) : null;
            if (!given.contains(k)) {
                o.setValue(was);
            } else if (!RESUMABLE.contains(k) && !Objects.equals(was, o.getValue())) {
                conflicts.add(o.longestName() + " " + o.getValue() + " (the run has " + (was == null ? "none" : was) + ")");
            }
        }
        if (!conflicts.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--resume " + resume + ": " + String.join(", ", conflicts)
                    + " would change the model or the data; only " + String.join(", ", new java.util.TreeSet<>(RESUMABLE))
                    + " may change on resume (start a new run with --out for the rest)");
        }
        out = resume;
        return loaded;
    }

    /** Rows, columns and a CRC-32 of the float32 values: enough to notice that resumed data are not the run's. */
    private static Map<String, Object> fingerprint(Dataset ds) {
        float[] v = ds.toArray();
        CRC32 crc = new CRC32();
        ByteBuffer buf = ByteBuffer.allocate(1 << 14).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            if (!buf.hasRemaining()) {
                buf.flip();
                crc.update(buf);
                buf.clear();
            }
            buf.putFloat(x);
        }
        buf.flip();
        crc.update(buf);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", (long) ds.size());
        m.put("dim", (long) ds.dim());
        m.put("crc32", crc.getValue());
        return m;
    }

    /** Checks the data against the checkpoint's fingerprint; returns the run's normalisation. */
    /** The training data named by --data (with --toy-points for a built-in generator). */
    Dataset loadData() {
        return DataSources.load(data, seed, toyPoints);
    }

    /** The normalisation chosen by --standardize for the training data (validated in {@link #call}). */
    Standardization normalization(Dataset ds) {
        return "none".equals(standardize) ? Standardization.identity(ds.dim()) : Standardization.fit(ds);
    }

    private Standardization checkData(LoadedCheckpoint from, Dataset ds, Map<String, Object> now) {
        JsonObject c = from.checkpoint().config();
        Map<String, Object> was = c.object("data").asMap();
        if (!now.equals(was)) {
            throw new IllegalStateException("--data " + data + ": the data differ from those the checkpointed run trained on (now " + now + ", "
                    + "then " + was + " in " + from.file() + "); resuming needs the same data");
        }
        try {
            ModelConfig saved = ModelConfig.fromJson(Json.write(c.object("model").asMap()), from.file() + " (model config)");
            return new Standardization(saved.mean(), saved.std());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(from.file() + ": " + e.getMessage(), e);
        }
    }

    /** Writes the model directory's files: weights and config (the model's), then train-log.csv, each atomically. */
    static void saveRun(org.flowmatch4j.model.GenerativeModel model, LossLog log, Path dir) {
        try {
            model.save(dir);
            StringBuilder sb = new StringBuilder("step,loss,seconds\n");
            for (int i = 0; i < log.size(); i++) {
                sb.append(log.step(i)).append(',').append(log.loss(i)).append(',')
                        .append(String.format(Locale.ROOT, "%.4f", log.seconds(i))).append('\n');
            }
            AtomicFiles.writeString(dir.resolve("train-log.csv"), sb.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write model directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether the option named {@code key} (without dashes) was given on the command line or in the config file. */
    boolean given(String key) {
        return fromConfigFile.contains(key) || spec.commandLine().getParseResult().hasMatchedOption("--" + key);
    }

    static boolean isNonEmpty(Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return true;
        }
    }
}
