package org.finwidth.ensemble;

/**
 * Receives progress reports. Calls are serialised (never concurrent) but may come from any worker
 * thread; a listener must be quick and must not throw.
 */
@FunctionalInterface
public interface ProgressListener {
  /** A new report. */
  void onProgress(Progress progress);
}
