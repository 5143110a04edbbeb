/**
 * Transfer between image resolutions (seeds 000, 002, 003): restriction (2×2 averaging) and
 * prolongation (bilinear) of images — the dataset pyramid, classifier weights viewed as images — each
 * with its exact adjoint.
 */
package org.heatwave.multilevel;
