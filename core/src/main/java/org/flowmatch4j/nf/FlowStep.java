package org.flowmatch4j.nf;

import org.flowmatch4j.autodiff.Var;

/**
 * One invertible transform {@code T} of a normalizing flow, written in the normalizing direction
 * (data side → noise side) {@code y = T(h)}, with its inverse and the log-determinants of both. Both
 * directions return the per-row log-determinant {@code [batch]} of the map they apply, so a flow can
 * score points (normalizing direction) and score its own samples (generating direction) in one pass.
 */
public interface FlowStep {
    /** {@code y = T(h)} and {@code log|det ∂T/∂h|} per row. */
    Mapped normalize(Var h);

    /** {@code h = T⁻¹(y)} and {@code log|det ∂T⁻¹/∂y|} per row (the negative of {@link #normalize}'s at that h). */
    Mapped generate(Var y);

    /**
     * A batch mapped by a flow step.
     *
     * @param value  the mapped batch {@code [batch, dim]}
     * @param logDet the log-determinant of the map per row, {@code [batch]}
     */
    record Mapped(Var value, Var logDet) {
    }
}
