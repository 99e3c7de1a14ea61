package org.flowmatch4j.path;

/** Validation of scalar times shared by the schedulers. */
final class Times {
    private Times() {
    }

    /** Returns {@code t} when it lies in [0, 1]; otherwise throws naming the caller and the value. */
    static double check(String who, double t) {
        if (!(t >= 0.0 && t <= 1.0)) {
            throw new IllegalArgumentException(who + ": time t must lie in [0, 1], got " + t);
        }
        return t;
    }

    /** The time at which a derivative that diverges at t = 1 is evaluated (see {@link Scheduler#SINGULAR_EDGE}). */
    static double clampBelowOne(double t) {
        return Math.min(t, 1.0 - Scheduler.SINGULAR_EDGE);
    }
}
