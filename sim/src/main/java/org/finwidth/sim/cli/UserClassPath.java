package org.finwidth.sim.cli;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.finwidth.activation.Activation;

/**
 * Where {@code --activation class:NAME} looks for user classes: the entries of {@code --classpath}
 * and then of the environment variable {@code FINWIDTH_CP}, each a list of directories and jars
 * separated by the platform's path separator (':' on Linux). Relative entries are relative to the
 * working directory. The loader becomes the thread's context class loader for the command's run,
 * so that activation specs read back from result files resolve the same way.
 */
final class UserClassPath {
  private UserClassPath() {}

  /** The environment variable of the user class path. */
  static final String ENV = "FINWIDTH_CP";

  /**
   * Parses an activation spec with user classes on {@code --classpath} (may be null) and
   * {@code FINWIDTH_CP}.
   *
   * @throws IllegalArgumentException (one line) for a bad spec, a class path entry that does not
   *     exist, or a {@code class:} spec whose class is missing or unusable (the message then says
   *     where it was looked for)
   */
  static Activation parseActivation(String spec, String classpathFlag) {
    List<Path> entries = install(classpathFlag);
    try {
      return Activation.parse(spec);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().contains("not found on the class path")) {
        throw new IllegalArgumentException(e.getMessage() + " (" + describe(entries) + ")", e);
      }
      throw e;
    }
  }

  /**
   * Sets this thread's context class loader to one over --classpath then FINWIDTH_CP (the
   * application's own loader when neither is set) and returns the entries.
   */
  static List<Path> install(String classpathFlag) {
    List<Path> entries = new ArrayList<>();
    add(entries, "--classpath", classpathFlag);
    add(entries, ENV, System.getenv(ENV));
    ClassLoader app = UserClassPath.class.getClassLoader();
    ClassLoader loader = app;
    if (!entries.isEmpty()) {
      URL[] urls = new URL[entries.size()];
      for (int i = 0; i < urls.length; i++) {
        try {
          urls[i] = entries.get(i).toUri().toURL();
        } catch (MalformedURLException e) {
          throw new IllegalArgumentException("class path entry " + entries.get(i) + ": " + e.getMessage());
        }
      }
      loader = new URLClassLoader("finwidth-user", urls, app);
    }
    Thread.currentThread().setContextClassLoader(loader);
    return entries;
  }

  private static void add(List<Path> entries, String source, String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    for (String part : value.split(File.pathSeparator, -1)) {
      if (part.isBlank()) {
        continue;
      }
      Path p = Path.of(part.strip()).toAbsolutePath().normalize();
      if (!Files.exists(p)) {
        throw new IllegalArgumentException(source + ": no such file or directory: " + part.strip());
      }
      entries.add(p);
    }
  }

  private static String describe(List<Path> entries) {
    if (entries.isEmpty()) {
      return "neither --classpath nor " + ENV + " is set; give the directory or jar that holds it";
    }
    List<String> names = new ArrayList<>();
    for (Path p : entries) {
      names.add(p.toString());
    }
    return "searched " + String.join(File.pathSeparator, names) + " from --classpath and " + ENV;
  }
}
