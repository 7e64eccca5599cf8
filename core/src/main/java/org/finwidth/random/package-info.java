/**
 * Counter-based random streams: Philox4x32-10, the keying of every random word by (seed, network,
 * layer, purpose, position), and the float Box–Muller transform that defines the engine's normals.
 */
package org.finwidth.random;
