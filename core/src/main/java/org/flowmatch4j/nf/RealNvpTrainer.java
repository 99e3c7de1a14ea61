package org.flowmatch4j.nf;

import java.util.List;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.optim.Adam;
import org.flowmatch4j.optim.GradientClipping;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.flowmatch4j.train.BatchSource;
import org.flowmatch4j.train.StepInfo;
import org.flowmatch4j.train.TrainingDivergedException;
import org.flowmatch4j.train.TrainingListener;

/**
 * Maximum-likelihood training of a {@link RealNvp}: each step draws a batch, minimises the mean negative
 * log-likelihood {@code −(1/B)·Σ log p(x_r)} with Adam (optionally with global gradient-norm clipping).
 * ActNorm layers are initialised from the first batch. A float32 flow trains through the tape-free
 * {@link FusedRealNvp} pass by default ({@link Engine#FUSED}); {@link Engine#TAPE} runs the same loss through
 * the autodiff tape (any dtype; the reference the fused pass is checked against). A non-finite loss stops
 * the run with {@link TrainingDivergedException} before the parameters are updated with it.
 */
public final class RealNvpTrainer {
    /** How the gradient of a step is computed. */
    public enum Engine {
        /** The hand-written fused forward/backward pass (float32 flows). */
        FUSED,
        /** The define-by-run autodiff tape ({@link RealNvp#nll}). */
        TAPE
    }

    private final RealNvp flow;
    private final NfTrainingSettings settings;
    private final Engine engine;
    private final Adam adam;
    private final Rng rng;
    private final FusedRealNvp fused;
    private long step;

    /** A trainer using the fused pass for float32 flows and the tape otherwise. */
    public RealNvpTrainer(RealNvp flow, NfTrainingSettings settings) {
        this(flow, settings, flow.dtype() == DType.FLOAT32 ? Engine.FUSED : Engine.TAPE);
    }

    /** A trainer with an explicit gradient engine. */
    public RealNvpTrainer(RealNvp flow, NfTrainingSettings settings, Engine engine) {
        if (engine == Engine.FUSED && flow.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("the fused pass trains float32 flows; use Engine.TAPE for " + flow.dtype().label());
        }
        this.flow = flow;
        this.settings = settings;
        this.engine = engine;
        this.rng = new Rng(settings.seed());
        this.fused = engine == Engine.FUSED ? new FusedRealNvp(flow, settings.batch()) : null;
        this.adam = new Adam(flow.parameters(), settings.learningRate());
    }

    /** The optimiser. */
    public Adam optimizer() {
        return adam;
    }

    /** The run's random generator. */
    public Rng rng() {
        return rng;
    }

    /** Steps taken so far. */
    public long step() {
        return step;
    }

    /** Runs {@link NfTrainingSettings#steps()} steps on batches from {@code data}; returns the last step's figures. */
    public StepInfo train(BatchSource data, List<TrainingListener> listeners) {
        int b = settings.batch();
        float[] x = new float[b * flow.dim()];
        for (TrainingListener l : listeners) {
            l.onStart(settings.steps());
        }
        long start = System.nanoTime();
        StepInfo info = null;
        while (step < settings.steps()) {
            data.sample(rng, b, x);
            if (step == 0) {
                flow.initializeActNorms(x, b);
            }
            double loss = lossAndGradient(x);
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException(step + 1, loss);
            }
            double norm = settings.maxGradNorm() > 0 ? GradientClipping.clipNorm(adam.parameters(), settings.maxGradNorm()) : Double.NaN;
            adam.step();
            step++;
            info = new StepInfo(step, loss, norm, (System.nanoTime() - start) / 1e9);
            if (TrainingListener.stepAll(listeners, info)) {
                break;
            }
        }
        TrainingListener.endAll(listeners, info);
        return info;
    }

    /** The mean NLL of the batch {@code x} ({@code [batch, d]}); its gradient replaces every parameter's gradient. */
    public double lossAndGradient(float[] x) {
        if (engine == Engine.FUSED) {
            return fused.lossAndGradient(x);
        }
        flow.zeroGrad();
        Var loss = flow.nll(Var.constant(Tensor.of(x.clone(), settings.batch(), flow.dim()).to(flow.dtype())));
        loss.backward();
        return loss.item();
    }
}
