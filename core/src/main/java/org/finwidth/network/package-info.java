/**
 * The network specification shared by theory and Monte Carlo ({@link org.finwidth.network.NetworkSpec})
 * and the samplers that turn (spec, seed, network index) into per-layer preactivations.
 */
package org.finwidth.network;
