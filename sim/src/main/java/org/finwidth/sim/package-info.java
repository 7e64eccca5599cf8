/**
 * The finwidth application: the command line, named experiments, file formats, plots and
 * reports. Everything a person sees lives here; the engine itself is in {@code org.finwidth}
 * (module core) and never prints.
 */
package org.finwidth.sim;
