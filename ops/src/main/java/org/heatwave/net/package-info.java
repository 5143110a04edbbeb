/**
 * Networks: compositions of layers and blocks ({@link org.heatwave.net.Sequential}) with a flat float64
 * parameter vector, and classification networks with their loss ({@link org.heatwave.net.Network}).
 */
package org.heatwave.net;
