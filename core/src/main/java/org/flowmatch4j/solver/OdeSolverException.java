package org.flowmatch4j.solver;

/**
 * Thrown when an adaptive solve cannot reach its final time: the step size controller asked for a step below
 * the minimum (or below the resolution of a double at the current time), or the cap on the number of steps was
 * reached. Typical causes: the solution blows up (e.g. {@code y' = y²} past its pole), the problem is stiff, or
 * the right-hand side returns NaN/Inf. The message names the time, the step size, the steps taken and the NFE.
 */
public final class OdeSolverException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Why the solve stopped. */
    public enum Reason {
        /** The step size fell below the configured minimum or below the double resolution at {@code t}. */
        STEP_TOO_SMALL,
        /** Accepted plus rejected steps reached the configured cap. */
        TOO_MANY_STEPS
    }

    private final Reason reason;
    private final double time;
    private final double stepSize;
    private final int acceptedSteps;
    private final int rejectedSteps;
    private final int nfe;

    /** A failure of the named solver; the message is built from the detail and the figures. */
    public OdeSolverException(String solver, Reason reason, String detail, double time, double stepSize, int acceptedSteps,
            int rejectedSteps, int nfe) {
        super(solver + ": " + detail + " at t=" + time + " (step size h=" + stepSize + ", steps="
                + (acceptedSteps + rejectedSteps) + " of which accepted=" + acceptedSteps + " rejected=" + rejectedSteps
                + ", NFE=" + nfe + ")");
        this.reason = reason;
        this.time = time;
        this.stepSize = stepSize;
        this.acceptedSteps = acceptedSteps;
        this.rejectedSteps = rejectedSteps;
        this.nfe = nfe;
    }

    /** Why the solve stopped. */
    public Reason reason() {
        return reason;
    }

    /** The time the solution had reached. */
    public double time() {
        return time;
    }

    /** The signed step size the controller proposed last. */
    public double stepSize() {
        return stepSize;
    }

    /** Accepted steps before the failure. */
    public int acceptedSteps() {
        return acceptedSteps;
    }

    /** Rejected steps before the failure. */
    public int rejectedSteps() {
        return rejectedSteps;
    }

    /** Accepted plus rejected steps. */
    public int steps() {
        return acceptedSteps + rejectedSteps;
    }

    /** Function evaluations before the failure. */
    public int nfe() {
        return nfe;
    }
}
