package org.finwidth.sim.cli;

import picocli.CommandLine;

/** Reports the finwidth version from the jar manifest (or "dev" when run from classes). */
public final class Version implements CommandLine.IVersionProvider {
  /** The finwidth version string, e.g. {@code 0.1.0}. */
  public static String version() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "finwidth " + version(),
      "JVM: ${java.version} (${java.vendor} ${java.vm.name} ${java.vm.version})",
      "OS: ${os.name} ${os.version} ${os.arch}"
    };
  }
}
