/**
 * The picocli command tree: one class per command, argument validation at the boundary, and
 * one place ({@link org.finwidth.sim.cli.FinwidthCommand#run}) that turns bad input into one
 * line on stderr and exit code 2.
 */
package org.finwidth.sim.cli;
