package org.flowmatch4j.report;

import java.awt.Color;

/**
 * One line of a legend.
 *
 * @param label text
 * @param color swatch colour
 * @param line  a line swatch (true) or a dot (false)
 */
public record LegendEntry(String label, Color color, boolean line) {
}
