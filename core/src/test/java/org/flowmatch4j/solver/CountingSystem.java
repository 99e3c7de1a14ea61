package org.flowmatch4j.solver;

/** Wraps a system and counts its evaluations, so tests can check the solvers' reported NFE. */
final class CountingSystem implements OdeSystem {
    private final OdeSystem inner;
    int calls;

    CountingSystem(OdeSystem inner) {
        this.inner = inner;
    }

    @Override
    public int dimension() {
        return inner.dimension();
    }

    @Override
    public void derivative(double t, double[] y, double[] dydt) {
        calls++;
        inner.derivative(t, y, dydt);
    }
}
