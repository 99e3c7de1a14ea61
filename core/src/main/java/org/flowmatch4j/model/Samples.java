package org.flowmatch4j.model;

import java.util.Optional;
import org.flowmatch4j.solver.Trajectory;

/**
 * Samples drawn from a {@link GenerativeModel}.
 *
 * @param values     {@code [rows, dim]} row-major samples in data units
 * @param rows       number of samples
 * @param nfe        network evaluations spent (1 per sample batch for a one-pass model)
 * @param trajectory the recorded solver states in the model's standardised space, when recording was asked
 *                   for and the model integrates an ODE
 */
public record Samples(float[] values, int rows, long nfe, Optional<Trajectory> trajectory) {
}
