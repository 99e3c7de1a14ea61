package org.flowmatch4j.fm;

import java.util.List;

import org.flowmatch4j.autodiff.GradMode;
import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.coupling.CoupledBatch;
import org.flowmatch4j.coupling.Coupling;
import org.flowmatch4j.nn.FusedMlp;
import org.flowmatch4j.nn.TimeMlp;
import org.flowmatch4j.optim.Adam;
import org.flowmatch4j.optim.Ema;
import org.flowmatch4j.optim.GradientClipping;
import org.flowmatch4j.path.AffinePath;
import org.flowmatch4j.path.PathSample;
import org.flowmatch4j.path.PredictionTarget;
import org.flowmatch4j.path.ProbabilityPath;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.flowmatch4j.train.BatchSource;
import org.flowmatch4j.train.StepInfo;
import org.flowmatch4j.train.TrainingDivergedException;
import org.flowmatch4j.train.TrainingListener;

/**
 * Conditional Flow Matching training: each step draws data {@code x1}, source noise {@code x0 ~ N(0, I)} and
 * times {@code t ~ U[0, 1]}, pairs {@code x0} with {@code x1} by the {@link Coupling}, samples the
 * {@link ProbabilityPath} and regresses the network on the target of the chosen {@link PredictionTarget}:
 * {@code L = mean ||f_θ(t, x_t) − target||²} (target {@code u_t} for velocity, {@code x1} or {@code x0}).
 * The network's MLP runs through {@link FusedMlp} (one fused pass per step); Adam updates it, with optional
 * gradient clipping and an EMA of the weights. A non-finite loss stops the run with
 * {@link TrainingDivergedException} before the parameters are updated with it.
 */
public final class FlowMatchingTrainer {
    private final TimeMlp net;
    private final ProbabilityPath path;
    private final Coupling coupling;
    private final PredictionTarget target;
    private final TrainingSettings settings;
    private final Adam adam;
    private final Ema ema;
    private final Rng rng;
    private long step;

    /** A trainer for {@code net}; velocity targets work with any path, x1/ε targets need an {@link AffinePath}. */
    public FlowMatchingTrainer(TimeMlp net, ProbabilityPath path, Coupling coupling, PredictionTarget target,
                               TrainingSettings settings) {
        if (target != PredictionTarget.VELOCITY && !(path instanceof AffinePath)) {
            throw new IllegalArgumentException("prediction target " + target.label() + " needs an affine path (the"
                    + " conversion to a velocity is closed-form only there); " + path + " supports the velocity target only");
        }
        this.net = net;
        this.path = path;
        this.coupling = coupling;
        this.target = target;
        this.settings = settings;
        this.rng = new Rng(settings.seed());
        this.adam = new Adam(net.parameters(), settings.learningRate());
        this.ema = settings.emaDecay() > 0 ? new Ema(net.parameters(), settings.emaDecay()) : null;
    }

    /** The optimiser (its state belongs in checkpoints). */
    public Adam optimizer() {
        return adam;
    }

    /** The EMA of the weights, or null when disabled. */
    public Ema ema() {
        return ema;
    }

    /** The run's random generator (its state belongs in checkpoints). */
    public Rng rng() {
        return rng;
    }

    /** Steps taken so far. */
    public long step() {
        return step;
    }

    /** Runs {@link TrainingSettings#steps()} steps on batches from {@code data}; returns the last step's figures. */
    public StepInfo train(BatchSource data, List<TrainingListener> listeners) {
        int b = settings.batch();
        int d = net.dim();
        int e = net.embedding().dim();
        int w = d + e;
        FusedMlp pass = new FusedMlp(net.mlp(), b);
        float[] x0 = new float[b * d];
        float[] x1 = new float[b * d];
        float[] t = new float[b];
        float[] input = pass.input();
        for (TrainingListener l : listeners) {
            l.onStart(settings.steps());
        }
        long start = System.nanoTime();
        StepInfo info = null;
        while (step < settings.steps()) {
            data.sample(rng, b, x1);
            rng.fillNormal(x0, 0, x0.length);
            rng.fillUniform(t, 0, b, 0.0, 1.0);
            CoupledBatch pair = coupling.pair(Tensor.of(x0, b, d), Tensor.of(x1, b, d), rng);
            Tensor tt = Tensor.of(t, b);
            PathSample s = path.sample(pair.x0(), pair.x1(), tt, rng);
            Tensor goal = target == PredictionTarget.VELOCITY ? s.ut() : ((AffinePath) path).target(s, target);
            float[] xt = s.xt().floatData();
            float[] emb = embed(tt);
            for (int r = 0; r < b; r++) {
                System.arraycopy(xt, r * d, input, r * w, d);
                System.arraycopy(emb, r * e, input, r * w + d, e);
            }
            // x0 is float32, so the path's tensors (and the target) are float32 already
            double loss = pass.mseStep(goal.floatData());
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException(step + 1, loss);
            }
            double norm = settings.maxGradNorm() > 0 ? GradientClipping.clipNorm(adam.parameters(), settings.maxGradNorm()) : Double.NaN;
            adam.step();
            if (ema != null) {
                ema.update();
            }
            step++;
            info = new StepInfo(step, loss, norm, (System.nanoTime() - start) / 1e9);
            for (TrainingListener l : listeners) {
                l.onStep(info);
            }
        }
        for (TrainingListener l : listeners) {
            l.onEnd(info);
        }
        return info;
    }

    private float[] embed(Tensor t) {
        try (GradMode.Scope s = GradMode.disabled()) {
            return net.embedding().embed(Var.constant(t)).value().to(DType.FLOAT32).floatData();
        }
    }
}
