/**
 * Counter-based random streams: Philox4x32-10 and the keying of every random word by (seed,
 * network, layer, purpose, position), xoshiro128++ lanes seeded by it, and the float Box–Muller
 * transform that defines the engine's normals.
 */
package org.finwidth.random;
