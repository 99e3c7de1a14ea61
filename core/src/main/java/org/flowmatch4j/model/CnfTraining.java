package org.flowmatch4j.model;

import java.util.List;

import org.flowmatch4j.cnf.CnfSettings;
import org.flowmatch4j.cnf.CnfTrainer;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.Standardization;
import org.flowmatch4j.path.PredictionTarget;
import org.flowmatch4j.train.TrainingListener;

/**
 * Trains a {@link FlowMatchingModel} whose method is {@code cnf} by maximum likelihood ({@link CnfTrainer}) in
 * its standardised space {@code z = (x − μ)/s}. The network is the Flow Matching velocity network, so the
 * trained model samples, evaluates log-densities ({@code log p(x) = log p_z(z) − Σ log s_j}) and saves exactly
 * like a Flow Matching model; its directory says {@code "method": "cnf"}.
 */
public final class CnfTraining {
    private CnfTraining() {
    }

    /**
     * Trains {@code model}'s network on {@code data} (data units) and returns the trainer (optimiser state,
     * NFE per step).
     *
     * @throws IllegalArgumentException if the model is not a velocity-target {@code cnf} model of the data's dimension
     */
    public static CnfTrainer train(FlowMatchingModel model, Dataset data, CnfSettings settings, List<TrainingListener> listeners) {
        ModelConfig config = model.config();
        if (!"cnf".equals(config.method())) {
            throw new IllegalArgumentException("CNF training needs a model configured with method 'cnf', got '" + config.method() + "'");
        }
        if (PredictionTarget.parse(config.target()) != PredictionTarget.VELOCITY) {
            throw new IllegalArgumentException("a CNF's network is its velocity field; target '" + config.target()
                    + "' is not supported (use velocity)");
        }
        if (data.dim() != config.dim()) {
            throw new IllegalArgumentException("train: data has " + data.dim() + " columns, the model has dimension " + config.dim());
        }
        Standardization norm = model.normalization();
        CnfTrainer trainer = new CnfTrainer(model.network(), settings);
        trainer.train((rng, b, out) -> {
            data.sampleBatch(rng, b, out);
            norm.applyInPlace(out, 0, b);
        }, listeners);
        return trainer;
    }
}
