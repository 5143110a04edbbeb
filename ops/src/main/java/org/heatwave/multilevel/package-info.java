/**
 * Transfer between image resolutions (seeds 000, 002, 003): restriction and prolongation of images
 * (the dataset pyramid, classifier weights viewed as images) as exact adjoint pairs.
 */
package org.heatwave.multilevel;
