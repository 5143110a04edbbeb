/**
 * Optimisers. State is explicit (a value passed in and returned), never hidden in fields, so that
 * checkpoints can save it and the same optimiser runs on a local or a distributed objective.
 */
package org.heatwave.opt;
