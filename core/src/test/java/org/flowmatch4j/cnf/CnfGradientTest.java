package org.flowmatch4j.cnf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.nn.ConcatTime;
import org.flowmatch4j.nn.TimeMlp;
import org.flowmatch4j.solver.SolverMethod;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The gradient of the mean NLL with respect to every parameter, backpropagated through the solver steps, against
 * central finite differences of the same discrete solve, in float64 on a tiny network.
 */
class CnfGradientTest {
    private static final double H = 1e-6;

    @Test
    void nllGradientThroughTheSolverMatchesFiniteDifferences() {
        int n = 5;
        Tensor x = new Rng(2).normal(DType.FLOAT64, n, 2);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (SolverMethod method : new SolverMethod[] {SolverMethod.EULER, SolverMethod.RK4}) {
            for (DivergenceMethod div : DivergenceMethod.values()) {
                for (CnfDynamics.Mode mode : CnfDynamics.Mode.values()) {
                    for (Activation act : new Activation[] {Activation.SILU, Activation.TANH}) {
                        TimeMlp net = new TimeMlp(2, 5, 2, act, new ConcatTime(), DType.FLOAT64, new Rng(4));
                        for (Var p : net.parameters()) {
                            p.value().mulInPlace(1.5);
                        }
                        // the probes are drawn once and reused for every evaluation of the loss
                        CnfDynamics f = new CnfDynamics(net, n, div, 2, mode, new Rng(6));
                        TapeSolver solver = new FixedStepTapeSolver(method, 3);
                        String label = method + "/" + div + "/" + mode + "/" + act;
                        net.zeroGrad();
                        Var loss = CnfLikelihood.compute(f, solver, Var.constant(x)).meanNll();
                        loss.backward();
                        for (Var p : net.parameters()) {
                            Tensor v = p.value();
                            for (int j = 0; j < v.numel(); j++) {
                                double orig = v.getDouble(j);
                                v.setDouble(j, orig + H);
                                double up = CnfLikelihood.compute(f, solver, Var.constant(x)).meanNll().item();
                                v.setDouble(j, orig - H);
                                double down = CnfLikelihood.compute(f, solver, Var.constant(x)).meanNll().item();
                                v.setDouble(j, orig);
                                double numeric = (up - down) / (2 * H);
                                double analytic = p.grad().getDouble(j);
                                checked++;
                                if (!(Math.abs(analytic - numeric) <= 1e-7 + 1e-6 * Math.abs(numeric))) {
                                    failures.add(String.format("%s %s[%d]: autodiff %.10g vs numeric %.10g", label, p.name(), j,
                                            analytic, numeric));
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(2 * 3 * 2 * 2 * (15 + 5 + 25 + 5 + 10 + 2));
        assertThat(failures).isEmpty();
    }
}
