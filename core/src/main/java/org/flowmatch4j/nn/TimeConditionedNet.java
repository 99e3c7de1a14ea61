package org.flowmatch4j.nn;

import org.flowmatch4j.autodiff.Var;

/** A network {@code f(t, x)} with x of shape {@code [batch, dim]} and t of shape {@code [batch]}, output {@code [batch, dim]}: a velocity field, a score or a noise predictor. */
public interface TimeConditionedNet {
    /** Data dimension d. */
    int dim();

    /** Evaluates the network. */
    Var forward(Var x, Var t);

    /** The module holding the parameters. */
    Module module();
}
