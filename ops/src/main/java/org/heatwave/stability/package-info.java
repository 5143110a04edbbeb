/**
 * Stability of the forward propagation (seeds 000 and 004): the experiments that show it — features
 * separated, collapsed or preserved by identical layers — computed with the library's own blocks.
 */
package org.heatwave.stability;
