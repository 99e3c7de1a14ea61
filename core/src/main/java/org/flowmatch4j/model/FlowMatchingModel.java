package org.flowmatch4j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.Standardization;
import org.flowmatch4j.fm.FlowMatchingTrainer;
import org.flowmatch4j.fm.MlpVelocityField;
import org.flowmatch4j.fm.TrainingSettings;
import org.flowmatch4j.io.AtomicFiles;
import org.flowmatch4j.io.SafeTensors;
import org.flowmatch4j.io.SafeTensorsFile;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.likelihood.FlowOde;
import org.flowmatch4j.likelihood.LikelihoodResult;
import org.flowmatch4j.likelihood.LogLikelihood;
import org.flowmatch4j.likelihood.VelocityField;
import org.flowmatch4j.nn.ConcatTime;
import org.flowmatch4j.nn.TimeMlp;
import org.flowmatch4j.path.AffinePath;
import org.flowmatch4j.path.PredictionTarget;
import org.flowmatch4j.path.ProbabilityPath;
import org.flowmatch4j.solver.OdeSolution;
import org.flowmatch4j.solver.OdeSolver;
import org.flowmatch4j.solver.Recording;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.flowmatch4j.train.TrainingListener;

/**
 * A trained (or trainable) Flow Matching model in data units: the network {@code v_θ(t, z)} acts on
 * standardised data {@code z = (x − μ)/s}; sampling integrates {@code dz/dt = v} from {@code z ~ N(0, I)} at
 * t = 0 to t = 1 and maps back; {@code log p(x) = log p_z(z) − Σ log s_j}. Saved as a directory with
 * {@code model.safetensors} (PyTorch-style names, e.g. {@code net.layers.0.weight}) and {@code config.json}.
 */
public final class FlowMatchingModel implements GenerativeModel {
    /** Name of the weights file in a model directory. */
    public static final String WEIGHTS = "model.safetensors";
    /** Name of the configuration file in a model directory. */
    public static final String CONFIG = "config.json";
    private static final double TIME_EDGE = 1e-4;

    private final ModelConfig config;
    private final TimeMlp net;
    private final ProbabilityPath path;
    private final PredictionTarget target;
    private final Standardization norm;

    private FlowMatchingModel(ModelConfig config) {
        this.config = config;
        this.net = new TimeMlp(config.dim(), config.hidden(), config.layers(), Activation.parse(config.activation()),
                timeEmbedding(config.timeEmbedding()), DType.FLOAT32, new Rng(config.seed()).split());
        this.path = Factories.path(config);
        this.target = PredictionTarget.parse(config.target());
        if (target != PredictionTarget.VELOCITY && !(path instanceof AffinePath)) {
            throw new IllegalArgumentException("target " + target.label() + " needs an affine path; path '" + config.path()
                    + "' supports --target velocity only");
        }
        this.norm = new Standardization(config.mean(), config.std());
    }

    private static org.flowmatch4j.nn.TimeEmbedding timeEmbedding(String name) {
        if (!"concat".equals(name)) {
            throw new IllegalArgumentException("unknown time embedding '" + name + "'; valid: concat");
        }
        return new ConcatTime();
    }

    /** A freshly initialised model for this configuration. */
    public static FlowMatchingModel create(ModelConfig config) {
        return new FlowMatchingModel(config);
    }

    /** The configuration. */
    public ModelConfig config() {
        return config;
    }

    /** The network. */
    public TimeMlp network() {
        return net;
    }

    /**
     * Trains on {@code data} (data units; the model's normalisation is applied to each batch) and returns
     * the trainer (its optimiser, EMA and RNG state).
     */
    public FlowMatchingTrainer train(Dataset data, TrainingSettings settings, List<TrainingListener> listeners) {
        FlowMatchingTrainer trainer = trainer(settings);
        train(data, trainer, listeners);
        return trainer;
    }

    /**
     * A trainer for this model's network with its path, coupling and target, not yet run: for callers that
     * checkpoint it (its {@link org.flowmatch4j.train.TrainerState}) or resume it from a checkpoint before
     * {@link #train(Dataset, FlowMatchingTrainer, List)}.
     */
    public FlowMatchingTrainer trainer(TrainingSettings settings) {
        return new FlowMatchingTrainer(net, path, Factories.coupling(config.coupling()), target, settings);
    }

    /**
     * Runs {@code trainer} (from {@link #trainer}) to its last step on {@code data} (data units, normalised per
     * batch), then copies its EMA, if any, into the weights.
     */
    public void train(Dataset data, FlowMatchingTrainer trainer, List<TrainingListener> listeners) {
        if (data.dim() != config.dim()) {
            throw new IllegalArgumentException("train: data has " + data.dim() + " columns, the model has dimension " + config.dim());
        }
        if (trainer.network() != net) {
            throw new IllegalArgumentException("train: the trainer was not made by this model's trainer(settings)");
        }
        trainer.train((rng, b, out) -> {
            data.sampleBatch(rng, b, out);
            norm.applyInPlace(out, 0, b);
        }, listeners);
        if (trainer.ema() != null) {
            trainer.ema().copyToParameters();
        }
    }

    /**
     * A reflow student of this (teacher) model: the same architecture, path, target and normalisation, method
     * {@code reflow} and the independent coupling (which keeps the teacher's pairs), starting from the teacher's
     * weights as in Liu et al.'s rectified flow. Train it with {@link #trainPairs}.
     */
    public FlowMatchingModel reflowStudent(long seed, long steps, int batch, double lr, double emaDecay, int threads) {
        ModelConfig c = config;
        ModelConfig sc = new ModelConfig(c.formatVersion(), "reflow", c.dim(), c.hidden(), c.layers(), c.activation(), c.timeEmbedding(),
                c.path(), c.sigma(), c.target(), "independent", c.mean(), c.std(), c.columns(), c.data(), seed, steps, batch, lr, emaDecay,
                threads);
        FlowMatchingModel student = new FlowMatchingModel(sc);
        student.net.loadStateDict(net.stateDict());
        return student;
    }

    /**
     * Runs {@code trainer} (from {@link #trainer}) on pairs {@code (x0, x1)} given in the model's standardised
     * space (e.g. {@link org.flowmatch4j.fm.ReflowPairs} from a teacher with the same normalisation), then copies
     * its EMA, if any, into the weights.
     */
    public void trainPairs(org.flowmatch4j.train.PairSource pairs, FlowMatchingTrainer trainer, List<TrainingListener> listeners) {
        if (trainer.network() != net) {
            throw new IllegalArgumentException("trainPairs: the trainer was not made by this model's trainer(settings)");
        }
        trainer.trainPairs(pairs, listeners);
        if (trainer.ema() != null) {
            trainer.ema().copyToParameters();
        }
    }

    @Override
    public String method() {
        return config.method();
    }

    @Override
    public int dim() {
        return config.dim();
    }

    @Override
    public java.util.List<String> columns() {
        return config.columns();
    }

    @Override
    public Standardization normalization() {
        return norm;
    }

    @Override
    public boolean usesSolver() {
        return true;
    }

    @Override
    public java.util.Optional<VelocityField> velocityField(int maxTangents) {
        return java.util.Optional.of(field(maxTangents));
    }

    @Override
    public String configJson() {
        return config.toJson();
    }

    /** The velocity field in standardised space (predictions converted to velocities for x1/ε targets). */
    public VelocityField field(int maxTangents) {
        MlpVelocityField raw = new MlpVelocityField(net, 2048, maxTangents);
        if (target == PredictionTarget.VELOCITY) {
            return raw;
        }
        AffinePath affine = (AffinePath) path;
        return new ConvertedField(raw, affine, target);
    }

    /**
     * A network predicting x1 or ε seen as a velocity field. The affine path's conversion is linear,
     * {@code v = A(t)·x + B(t)·f(t, x)}, so its Jacobian–vector product is the same conversion applied to the
     * tangent and the network's JVP: {@code v̇ = A(t)·ẋ + B(t)·(∂f/∂x)ẋ}. The conversion divides by σ_t or
     * α_t, which vanish at the ends of [0, 1], so it is evaluated at t clamped to [1e-4, 1 − 1e-4].
     */
    private static final class ConvertedField implements VelocityField {
        private final MlpVelocityField raw;
        private final AffinePath affine;
        private final PredictionTarget from;

        ConvertedField(MlpVelocityField raw, AffinePath affine, PredictionTarget from) {
            this.raw = raw;
            this.affine = affine;
            this.from = from;
        }

        @Override
        public int dim() {
            return raw.dim();
        }

        @Override
        public int maxTangents() {
            return raw.maxTangents();
        }

        @Override
        public void velocity(double t, float[] x, int rows, float[] out) {
            raw.velocity(t, x, rows, out);
            convert(t, out, x, rows);
        }

        @Override
        public void velocityJvp(double t, float[] x, int rows, float[] out, float[][] tanIn, float[][] tanOut, int count) {
            raw.velocityJvp(t, x, rows, out, tanIn, tanOut, count);
            convert(t, out, x, rows);
            for (int j = 0; j < count; j++) {
                convert(t, tanOut[j], tanIn[j], rows);
            }
        }

        /** {@code pred ← A(t)·x + B(t)·pred} (in place). */
        private void convert(double t, float[] pred, float[] x, int rows) {
            int d = dim();
            double tc = Math.min(1 - TIME_EDGE, Math.max(TIME_EDGE, t));
            Tensor v = affine.convert(Tensor.of(java.util.Arrays.copyOf(pred, rows * d), rows, d), from, PredictionTarget.VELOCITY,
                    Tensor.of(java.util.Arrays.copyOf(x, rows * d), rows, d), Tensor.full(DType.FLOAT32, tc, 1));
            System.arraycopy(v.to(DType.FLOAT32).floatData(), 0, pred, 0, rows * d);
        }
    }

    /** Draws {@code n} samples by integrating from N(0, I) at t = 0 to t = 1 with {@code solver}. */
    @Override
    public Samples sample(int n, OdeSolver solver, Rng rng, Recording recording) {
        int d = config.dim();
        double[] y0 = new double[n * d];
        for (int i = 0; i < y0.length; i++) {
            y0[i] = rng.nextGaussian();
        }
        OdeSolution sol = solver.solve(new FlowOde(field(0), n), 0.0, y0, 1.0, recording);
        float[] out = new float[n * d];
        double[] s = sol.state();
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) s[i];
        }
        norm.invertInPlace(out, 0, n);
        return new Samples(out, n, sol.nfe(), sol.trajectory());
    }

    /** Log-densities (nats, data units) of the rows of {@code x} ({@code [n, dim]}). */
    @Override
    public LikelihoodResult logProb(float[] x, int n, OdeSolver solver, DivergenceMethod method, int probes, Rng rng) {
        int d = config.dim();
        if (x.length != n * d) {
            throw new IllegalArgumentException("logprob: input has " + (n == 0 ? 0 : x.length / Math.max(1, n)) + " columns per row, the model's dimension is " + d);
        }
        float[] z = x.clone();
        norm.applyInPlace(z, 0, n);
        LikelihoodResult r = LogLikelihood.compute(field(method == DivergenceMethod.EXACT ? d : probes), z, n, solver, method, probes, rng);
        double shift = norm.logAbsDet();
        double[] lp = r.logProb().clone();
        for (int i = 0; i < n; i++) {
            lp[i] -= shift;
        }
        return new LikelihoodResult(lp, r.nfe());
    }

    /** Writes {@code model.safetensors} then {@code config.json} into {@code dir} (created if needed), each atomically. */
    @Override
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "flowmatch4j-model");
        meta.put("format_version", Integer.toString(ModelConfig.FORMAT_VERSION));
        SafeTensors.write(dir.resolve(WEIGHTS), new LinkedHashMap<>(net.stateDict()), meta);
        AtomicFiles.writeString(dir.resolve(CONFIG), config.toJson());
    }

    /** Loads a model directory; the weights' checksum, names and shapes are verified before anything is used. */
    public static FlowMatchingModel load(Path dir) throws IOException {
        Path cfg = dir.resolve(CONFIG);
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isDirectory(dir)) {
            throw new IOException("model directory " + dir + " does not exist");
        }
        if (!Files.isRegularFile(cfg) || !Files.isRegularFile(weights)) {
            throw new IOException("model directory " + dir + " needs " + CONFIG + " and " + WEIGHTS);
        }
        ModelConfig config = ModelConfig.fromJson(Files.readString(cfg), cfg.toString());
        FlowMatchingModel m = new FlowMatchingModel(config);
        SafeTensorsFile f = SafeTensors.read(weights, true);
        try {
            m.net.loadStateDict(f.tensors());
        } catch (IllegalArgumentException e) {
            throw new IOException(weights + ": " + e.getMessage(), e);
        }
        return m;
    }
}
