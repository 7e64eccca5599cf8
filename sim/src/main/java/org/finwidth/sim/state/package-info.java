/**
 * Result files and what is done with them past one machine (docs/design.md "Past one machine"): the
 * versioned, checksummed binary format of shard, checkpoint and merged results
 * ({@link org.finwidth.sim.state.ResultFile}), atomic writing ({@link org.finwidth.sim.state.AtomicFile}),
 * block-aligned network ranges ({@link org.finwidth.sim.state.ShardRange}) and the merge that checks
 * that shards tile a run ({@link org.finwidth.sim.state.ShardMerge}).
 */
package org.finwidth.sim.state;
