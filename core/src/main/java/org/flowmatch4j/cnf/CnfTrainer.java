package org.flowmatch4j.cnf;

import java.util.List;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.nn.TimeConditionedNet;
import org.flowmatch4j.nn.TimeMlp;
import org.flowmatch4j.optim.Adam;
import org.flowmatch4j.optim.GradientClipping;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.flowmatch4j.train.BatchSource;
import org.flowmatch4j.train.StepInfo;
import org.flowmatch4j.train.TrainingDivergedException;
import org.flowmatch4j.train.TrainingListener;

/**
 * Maximum-likelihood training of a continuous normalizing flow (FFJORD-style, discretise-then-optimise): each
 * step draws a batch x from the data, integrates the augmented ODE from t = 1 back to t = 0 on the tape
 * ({@link CnfLikelihood}), and minimises {@code L = −mean log p1(x)} by Adam with the gradient backpropagated
 * through every solver step, with optional gradient clipping. Hutchinson probes are drawn once per step (per
 * solve) from the run's generator. A non-finite loss stops the run with {@link TrainingDivergedException} before
 * the parameters are updated with it, and so does a non-finite gradient norm. The network is the one Flow Matching trains (t = 0 noise, t = 1 data), so
 * the result samples and evaluates like a Flow Matching model.
 */
public final class CnfTrainer {
    private final TimeConditionedNet net;
    private final CnfSettings settings;
    private final CnfDynamics.Mode mode;
    private final TapeSolver solver;
    private final Adam adam;
    private final Rng rng;
    private CnfDynamics exact;
    private long step;
    private int lastNfe;
    private long totalNfe;

    /** A trainer for {@code net}; a {@link TimeMlp} gets forward-mode divergences, any other network VJPs. */
    public CnfTrainer(TimeConditionedNet net, CnfSettings settings) {
        this(net, settings, net instanceof TimeMlp ? CnfDynamics.Mode.FORWARD : CnfDynamics.Mode.VJP);
    }

    /** A trainer with an explicit way of forming the divergence's Jacobian products. */
    public CnfTrainer(TimeConditionedNet net, CnfSettings settings, CnfDynamics.Mode mode) {
        this.net = net;
        this.settings = settings;
        this.mode = mode;
        this.solver = settings.tapeSolver();
        this.rng = new Rng(settings.seed());
        this.adam = new Adam(net.module().parameters(), settings.learningRate());
    }

    /** The optimiser (its state belongs in checkpoints). */
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

    /** Function evaluations of the last step's forward solve. */
    public int lastNfe() {
        return lastNfe;
    }

    /** Mean forward-solve function evaluations per step so far (NaN before the first step). */
    public double meanNfe() {
        return step == 0 ? Double.NaN : (double) totalNfe / step;
    }

    /** Runs {@link CnfSettings#steps()} steps on batches from {@code data}; returns the last step's figures. */
    public StepInfo train(BatchSource data, List<TrainingListener> listeners) {
        int b = settings.batch();
        int d = net.dim();
        List<Var> params = adam.parameters();
        for (TrainingListener l : listeners) {
            l.onStart(settings.steps());
        }
        long start = System.nanoTime();
        StepInfo info = null;
        while (step < settings.steps()) {
            float[] x = new float[b * d];
            data.sample(rng, b, x);
            Var batch = Var.constant(Tensor.of(x, b, d).to(net.module().dtype()));
            for (Var p : params) {
                p.zeroGrad();
            }
            CnfLikelihood ll = CnfLikelihood.compute(dynamics(b), solver, batch);
            Var nll = ll.meanNll();
            double loss = nll.item();
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException(step + 1, loss);
            }
            nll.backward();
            double norm = settings.maxGradNorm() > 0 ? GradientClipping.clipNorm(params, settings.maxGradNorm())
                    : GradientClipping.globalNorm(params);
            if (!Double.isFinite(norm)) {
                throw new TrainingDivergedException(step + 1, norm);
            }
            adam.step();
            step++;
            lastNfe = ll.nfe();
            totalNfe += lastNfe;
            info = new StepInfo(step, loss, norm, (System.nanoTime() - start) / 1e9);
            if (TrainingListener.stepAll(listeners, info)) {
                break;
            }
        }
        TrainingListener.endAll(listeners, info);
        return info;
    }

    /** The dynamics of one solve: the exact divergence's unit directions are built once, probes drawn per solve. */
    private CnfDynamics dynamics(int b) {
        if (settings.divergence() == org.flowmatch4j.likelihood.DivergenceMethod.EXACT) {
            if (exact == null) {
                exact = new CnfDynamics(net, b, settings.divergence(), 0, mode, rng);
            }
            return exact;
        }
        return new CnfDynamics(net, b, settings.divergence(), settings.probes(), mode, rng);
    }
}
