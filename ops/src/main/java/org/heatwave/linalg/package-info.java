/**
 * Matrix-free linear algebra in float64 for the optimisers: {@link org.heatwave.linalg.LinearOperator}
 * (a Gauss–Newton operator {@code JᵀHJ} is only ever applied, never formed), the conjugate-gradient method
 * for symmetric positive semi-definite systems and Steihaug's truncated CG for the trust-region subproblem
 * (seed 002: the Gauss–Newton step by a few CG iterations; Nocedal &amp; Wright, Numerical Optimization,
 * Alg. 5.2 and 7.2).
 */
package org.heatwave.linalg;
