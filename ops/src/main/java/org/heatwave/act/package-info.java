/** Pointwise activation functions and their derivatives (all monotone, seed 000). */
package org.heatwave.act;
