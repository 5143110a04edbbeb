/**
 * The shared test kit, exported as the ops test jar: derivative checks (Taylor with the strict order rule,
 * adjoint, dense) and seeded fixtures. Concrete tests in every module only list configured instances.
 */
package org.heatwave.testkit;
