/**
 * What the training objective does to its examples on each data pass: random translations and mirror images
 * of the images, and smoothed targets ({@link org.heatwave.augment.Augmentation}). Every draw is a function of
 * the seed, the pass and the example's index alone, so a run stays bit-for-bit reproducible under any
 * partitioning, retry or resume.
 */
package org.heatwave.augment;
