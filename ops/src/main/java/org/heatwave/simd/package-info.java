/**
 * Explicit SIMD with Java's Vector API ({@code jdk.incubator.vector}), loaded only when the JVM resolves
 * the module; every kernel has a plain-loop twin that performs the same operations lane by lane, so the
 * two give identical results and a JVM without the module still runs, only slower.
 */
package org.heatwave.simd;
