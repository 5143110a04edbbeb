/**
 * Segmentation (seed 003: "label each pixel in an image; challenges: high-resolution output, limited
 * field of view, synthetic Qtips data"): a generator of such data and its labels.
 */
package org.heatwave.segmentation;
