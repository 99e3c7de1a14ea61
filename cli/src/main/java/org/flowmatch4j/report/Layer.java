package org.flowmatch4j.report;

import java.util.Optional;

/** Something drawn in the plot area of a {@link Panel}: points, lines, arrows, a heat map. */
public interface Layer {
    /** The data extent the layer would like visible; null for no preference. */
    Bounds bounds();

    /** Draws the layer (the plot area is clipped). */
    void draw(Axes axes, Surface surface);

    /** The layer's legend entry, if it has a label. */
    default Optional<LegendEntry> legend() {
        return Optional.empty();
    }
}
