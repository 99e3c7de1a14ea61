package org.flowmatch4j.report;

/**
 * The key of a colour-mapped layer, drawn as a vertical gradient with ticks to the right of a panel's plot area.
 *
 * @param map   colour map
 * @param min   value at the bottom
 * @param max   value at the top
 * @param label what the colour shows (e.g. "p(x)")
 */
public record ColorBar(ColorMap map, double min, double max, String label) {
}
