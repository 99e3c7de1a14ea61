package org.flowmatch4j.autodiff;

/**
 * The vector–Jacobian product of one recorded operation, written with {@link Var} operations so that it
 * can itself be differentiated (higher-order gradients).
 */
@FunctionalInterface
interface BackwardFn {
    /**
     * @param grad  gradient of the objective with respect to the operation's output
     * @param out   the operation's output (available to ops whose derivative is cheapest from it)
     * @param needs which inputs need a gradient; entries that are false may be returned as null
     * @return one gradient per input, shaped like that input
     */
    Var[] apply(Var grad, Var out, boolean[] needs);
}
