package org.flowmatch4j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.Standardization;
import org.flowmatch4j.io.AtomicFiles;
import org.flowmatch4j.io.SafeTensors;
import org.flowmatch4j.io.SafeTensorsFile;
import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.likelihood.LikelihoodResult;
import org.flowmatch4j.likelihood.VelocityField;
import org.flowmatch4j.nf.NfTrainingSettings;
import org.flowmatch4j.nf.RealNvp;
import org.flowmatch4j.nf.RealNvpTrainer;
import org.flowmatch4j.solver.OdeSolver;
import org.flowmatch4j.solver.Recording;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.train.TrainingListener;

/**
 * A RealNVP normalizing flow as a model directory (method {@code "nf"}). The flow {@code G} acts on
 * standardised data {@code u = (x − μ)/s}: sampling draws {@code z ~ N(0, I)} and returns {@code μ + s·G(z)};
 * {@code log p(x) = log N(G⁻¹(u); 0, I) + log|det ∂G⁻¹/∂u| − Σ_j log s_j}. Both take one pass of the flow
 * (NFE = 1 per call) and no solver. Saved as {@code model.safetensors} (names like
 * {@code layers.0.net.layers.0.weight}) and {@code config.json} ({@link NormalizingFlowConfig}).
 */
public final class NormalizingFlowModel implements GenerativeModel {
    private final NormalizingFlowConfig config;
    private final RealNvp flow;
    private final Standardization norm;

    private NormalizingFlowModel(NormalizingFlowConfig config) {
        this.config = config;
        this.flow = new RealNvp(config.architecture(), DType.FLOAT32, new Rng(config.seed()).split());
        this.norm = new Standardization(config.mean(), config.std());
    }

    /** A freshly initialised model (identity couplings, ActNorms waiting for the first batch). */
    public static NormalizingFlowModel create(NormalizingFlowConfig config) {
        return new NormalizingFlowModel(config);
    }

    /**
     * Creates a model for {@code config} and trains it on {@code data} (data units) with the settings recorded in
     * the configuration ({@link NormalizingFlowConfig#settings()}).
     */
    public static NormalizingFlowModel train(Dataset data, NormalizingFlowConfig config, List<TrainingListener> listeners) {
        NormalizingFlowModel m = create(config);
        m.train(data, config.settings(), listeners);
        return m;
    }

    /**
     * Trains on {@code data} (data units; the model's normalisation is applied to each batch) by maximum
     * likelihood and returns the trainer (optimiser and RNG state).
     *
     * @throws org.flowmatch4j.train.TrainingDivergedException when the loss turns NaN or infinite
     */
    public RealNvpTrainer train(Dataset data, NfTrainingSettings settings, List<TrainingListener> listeners) {
        if (data.dim() != config.dim()) {
            throw new IllegalArgumentException("train: data has " + data.dim() + " columns, the model has dimension " + config.dim());
        }
        RealNvpTrainer trainer = new RealNvpTrainer(flow, settings);
        trainer.train((rng, b, out) -> {
            data.sampleBatch(rng, b, out);
            norm.applyInPlace(out, 0, b);
        }, listeners);
        return trainer;
    }

    /** The configuration. */
    public NormalizingFlowConfig config() {
        return config;
    }

    /** The flow in standardised space. */
    public RealNvp flow() {
        return flow;
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
    public List<String> columns() {
        return config.columns();
    }

    @Override
    public Standardization normalization() {
        return norm;
    }

    @Override
    public boolean usesSolver() {
        return false;
    }

    /** Draws {@code n} samples in one pass of the flow; {@code solver} and {@code recording} are ignored. */
    @Override
    public Samples sample(int n, OdeSolver solver, Rng rng, Recording recording) {
        RealNvp.Sampled s = flow.sample(n, rng);
        float[] out = s.values();
        norm.invertInPlace(out, 0, n);
        return new Samples(out, n, 1, Optional.empty());
    }

    /** Exact log-densities (nats, data units) in one pass; {@code solver}, {@code method}, {@code probes}, {@code rng} are ignored. */
    @Override
    public LikelihoodResult logProb(float[] x, int n, OdeSolver solver, DivergenceMethod method, int probes, Rng rng) {
        int d = config.dim();
        if (x.length != (long) n * d) {
            throw new IllegalArgumentException("logprob: input has " + (n == 0 ? 0 : x.length / Math.max(1, n))
                    + " columns per row, the model's dimension is " + d);
        }
        float[] u = x.clone();
        norm.applyInPlace(u, 0, n);
        double[] lp = flow.logProb(u, n);
        double shift = norm.logAbsDet();
        for (int i = 0; i < n; i++) {
            lp[i] -= shift;
        }
        return new LikelihoodResult(lp, 1);
    }

    /** Empty: a normalizing flow is not the flow of an ODE. */
    @Override
    public Optional<VelocityField> velocityField(int maxTangents) {
        return Optional.empty();
    }

    @Override
    public String configJson() {
        return config.toJson();
    }

    /** Writes {@code model.safetensors} then {@code config.json} into {@code dir} (created if needed), each atomically. */
    @Override
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "flowmatch4j-model");
        meta.put("format_version", Integer.toString(NormalizingFlowConfig.FORMAT_VERSION));
        meta.put("method", NormalizingFlowConfig.METHOD);
        SafeTensors.write(dir.resolve(FlowMatchingModel.WEIGHTS), new LinkedHashMap<>(flow.stateDict()), meta);
        AtomicFiles.writeString(dir.resolve(FlowMatchingModel.CONFIG), config.toJson());
    }

    /** Loads a model directory; the weights' checksum, names and shapes are verified before anything is used. */
    public static NormalizingFlowModel load(Path dir) throws IOException {
        Path cfg = dir.resolve(FlowMatchingModel.CONFIG);
        Path weights = dir.resolve(FlowMatchingModel.WEIGHTS);
        if (!Files.isDirectory(dir)) {
            throw new IOException("model directory " + dir + " does not exist");
        }
        if (!Files.isRegularFile(cfg) || !Files.isRegularFile(weights)) {
            throw new IOException("model directory " + dir + " needs " + FlowMatchingModel.CONFIG + " and " + FlowMatchingModel.WEIGHTS);
        }
        NormalizingFlowConfig config = NormalizingFlowConfig.fromJson(Files.readString(cfg), cfg.toString());
        NormalizingFlowModel m = new NormalizingFlowModel(config);
        SafeTensorsFile f = SafeTensors.read(weights, true);
        try {
            m.flow.loadStateDict(f.tensors());
        } catch (IllegalArgumentException e) {
            throw new IOException(weights + ": " + e.getMessage(), e);
        }
        return m;
    }
}
