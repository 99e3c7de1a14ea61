package org.flowmatch4j.fm;

import java.util.List;

import org.flowmatch4j.autodiff.GradMode;
import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.coupling.CoupledBatch;
import org.flowmatch4j.coupling.Coupling;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.nn.FusedMlp;
import org.flowmatch4j.nn.Module;
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
import org.flowmatch4j.train.PairSource;
import org.flowmatch4j.train.StepInfo;
import org.flowmatch4j.train.TrainerState;
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
 *
 * <p>Every random draw of a step comes from one generator, in this order: the data batch and {@code x0}, the
 * times {@code t}, a generator split off for the path's noise ({@link StepDraws}), then the coupling's draws
 * (couplings that sample). A deterministic, costly coupling (exact OT) is solved ahead on worker threads when
 * {@link Parallel#threads()} {@code > 1} ({@link CouplingPrefetcher}); the draws and so every number stay the
 * same. So the {@link TrainerState} (weights, Adam moments and step count, EMA, that generator, the step)
 * is all a checkpoint needs: {@link #resume} followed by {@link #train} reaches the same bits as a run that was
 * never interrupted (same thread count).
 */
public final class FlowMatchingTrainer implements TrainerState {
    private final TimeMlp net;
    private final ProbabilityPath path;
    private final Coupling coupling;
    private final PredictionTarget target;
    private final TrainingSettings settings;
    private final Adam adam;
    private final Ema ema;
    private Rng rng;
    private CouplingPrefetcher prefetcher;
    private long step;
    private double elapsed;

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
    @Override
    public Adam optimizer() {
        return adam;
    }

    /** The EMA of the weights, or null when disabled. */
    @Override
    public Ema ema() {
        return ema;
    }

    /**
     * The run's random generator (its state belongs in checkpoints); while batches are drawn ahead, a copy at
     * the state before the first batch not yet trained on.
     */
    @Override
    public Rng rng() {
        CouplingPrefetcher ahead = prefetcher;
        return ahead != null ? Rng.fromState(ahead.rngState()) : rng;
    }

    /** Steps taken so far. */
    @Override
    public long step() {
        return step;
    }

    /** The network being trained. */
    public TimeMlp network() {
        return net;
    }

    /** The settings of the run. */
    public TrainingSettings settings() {
        return settings;
    }

    @Override
    public Module model() {
        return net;
    }

    @Override
    public double elapsedSeconds() {
        return elapsed;
    }

    /**
     * Continues from a checkpoint whose tensors were already copied into the network, optimiser and EMA:
     * sets the step, replaces the generator and carries the elapsed time over.
     */
    @Override
    public void resume(long step, Rng rng, double elapsedSeconds) {
        if (step < 0 || rng == null || !(elapsedSeconds >= 0)) {
            throw new IllegalArgumentException("resume: need step >= 0, a generator and elapsed seconds >= 0, got " + step + ", " + rng
                    + ", " + elapsedSeconds);
        }
        if (step != adam.steps()) {
            throw new IllegalArgumentException("resume: step " + step + " but the optimiser has taken " + adam.steps()
                    + " steps (restore the optimiser state first)");
        }
        this.step = step;
        this.rng = rng;
        this.elapsed = elapsedSeconds;
    }

    /**
     * Runs steps until {@link TrainingSettings#steps()} steps are taken in total (all of them, or the rest after
     * {@link #resume}); returns the last step's figures, or null when no step was left to take (then
     * {@link TrainingListener#onEnd} is not called). Listeners see the total in {@code onStart} and the
     * 1-based step number of the whole run in each {@link StepInfo}.
     */
    public StepInfo train(BatchSource data, List<TrainingListener> listeners) {
        return trainPairs(PairSource.gaussianSource(data), listeners);
    }

    /**
     * {@link #train(BatchSource, List)} on pairs {@code (x0, x1)} from {@code pairs} instead of data with fresh
     * N(0, I) sources (reflow trains on a flow's own pairs this way); the coupling is applied to each batch as
     * usual ({@code independent} keeps the pairs).
     */
    public StepInfo trainPairs(PairSource pairs, List<TrainingListener> listeners) {
        int b = settings.batch();
        int d = net.dim();
        int e = net.embedding().dim();
        int w = d + e;
        FusedMlp pass = new FusedMlp(net.mlp(), b);
        // the step with Adam overlapped gives the same numbers; it cannot clip (that needs the whole gradient first)
        boolean overlapped = settings.maxGradNorm() <= 0
                && new java.util.HashSet<>(adam.parameters()).equals(new java.util.HashSet<>(net.mlp().parameters()));
        float[] input = pass.input();
        for (TrainingListener l : listeners) {
            l.onStart(settings.steps());
        }
        long start = System.nanoTime();
        double before = elapsed;
        StepInfo info = null;
        // a deterministic, costly coupling (exact OT) is solved ahead on worker threads; the numbers do not change
        int workers = Parallel.threads() > 1 && coupling.workerCopy().isPresent() ? Parallel.threads() : 0;
        CouplingPrefetcher ahead = workers > 0 ? new CouplingPrefetcher(pairs, coupling, rng, b, d, workers) : null;
        prefetcher = ahead;
        StepDraws reused = ahead == null ? StepDraws.buffers(b, d) : null;
        try {
            while (step < settings.steps()) {
                StepDraws draws;
                CoupledBatch pair;
                if (ahead != null) {
                    CouplingPrefetcher.Ready next = ahead.next();
                    draws = next.draws();
                    pair = CoupledBatch.of(Tensor.of(draws.x0(), b, d), Tensor.of(draws.x1(), b, d), next.plan());
                } else {
                    draws = reused.draw(pairs, rng);
                    pair = coupling.pair(Tensor.of(draws.x0(), b, d), Tensor.of(draws.x1(), b, d), rng);
                }
                Tensor tt = Tensor.of(draws.t(), b);
                PathSample s = path.sample(pair.x0(), pair.x1(), tt, draws.pathNoise());
                Tensor goal = target == PredictionTarget.VELOCITY ? s.ut() : ((AffinePath) path).target(s, target);
                float[] xt = s.xt().floatData();
                float[] emb = embed(tt);
                for (int r = 0; r < b; r++) {
                    System.arraycopy(xt, r * d, input, r * w, d);
                    System.arraycopy(emb, r * e, input, r * w + d, e);
                }
                // x0 is float32, so the path's tensors (and the target) are float32 already
                // overlapped: Adam runs inside the pass, on the layers whose gradients are complete, and a
                // non-finite loss updates nothing
                double loss = overlapped ? pass.mseStepAndUpdate(goal.floatData(), adam) : pass.mseStep(goal.floatData());
                if (!Double.isFinite(loss)) {
                    throw new TrainingDivergedException(step + 1, loss);
                }
                double norm = Double.NaN;
                if (!overlapped) {
                    // clipping needs every gradient before any update
                    if (settings.maxGradNorm() > 0) {
                        norm = GradientClipping.clipNorm(adam.parameters(), settings.maxGradNorm());
                    }
                    adam.step();
                }
                if (ema != null) {
                    ema.update();
                }
                step++;
                elapsed = before + (System.nanoTime() - start) / 1e9;
                info = new StepInfo(step, loss, norm, elapsed);
                if (TrainingListener.stepAll(listeners, info)) {
                    break;
                }
            }
        } finally {
            if (ahead != null) {
                // batches drawn ahead but never trained on go back: the generator resumes before the first of them
                rng = Rng.fromState(ahead.rngState());
                prefetcher = null;
                ahead.close();
            }
        }
        TrainingListener.endAll(listeners, info);
        return info;
    }

    private float[] embed(Tensor t) {
        try (GradMode.Scope s = GradMode.disabled()) {
            return net.embedding().embed(Var.constant(t)).value().to(DType.FLOAT32).floatData();
        }
    }
}
