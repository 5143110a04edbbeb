/** Loss functions of the scores {@code W Y_N + μ}: summed over examples, with gradients. */
package org.heatwave.loss;
