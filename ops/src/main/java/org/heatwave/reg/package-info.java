/**
 * Regularisers {@code R(θ)} added to the training objective (seeds 001–003): Tikhonov, smoothness of
 * classifier weights viewed as images ({@code ½‖L W‖²}), smoothness of block weights in time.
 */
package org.heatwave.reg;
