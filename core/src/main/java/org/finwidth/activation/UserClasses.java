package org.finwidth.activation;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/**
 * Loads {@code class:NAME} specs: a public class implementing {@link CustomActivation} with a
 * public no-argument constructor, from the current thread's context class loader (the command
 * line installs one over {@code FINWIDTH_CP} / {@code --classpath}).
 */
final class UserClasses {
  private UserClasses() {}

  /** The spec prefix. */
  static final String PREFIX = "class:";

  /**
   * A fresh instance of the class named after {@link #PREFIX}.
   *
   * @throws IllegalArgumentException (one line) if the name is empty, the class is not found, does
   *     not implement {@link CustomActivation}, is not public and concrete, has no public
   *     no-argument constructor, or its initialisation or constructor throws
   */
  static CustomActivation load(String spec) {
    String name = spec.substring(PREFIX.length()).strip();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("activation '" + spec
          + "': empty class name (expected class:com.example.MyActivation)");
    }
    String what = "activation class '" + name + "'";
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = UserClasses.class.getClassLoader();
    }
    Class<?> c;
    try {
      c = Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(what + " not found on the class path"
          + (e instanceof LinkageError ? " (" + e + ")" : ""));
    }
    if (!CustomActivation.class.isAssignableFrom(c)) {
      throw new IllegalArgumentException(what + " does not implement "
          + CustomActivation.class.getName());
    }
    if (!Modifier.isPublic(c.getModifiers()) || Modifier.isAbstract(c.getModifiers())) {
      throw new IllegalArgumentException(what + " must be a public, non-abstract class");
    }
    Constructor<?> ctor;
    try {
      ctor = c.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(what + " has no public no-argument constructor");
    }
    try {
      return (CustomActivation) ctor.newInstance();
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(what + ": its constructor threw " + e.getCause());
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      throw new IllegalArgumentException(what + " cannot be instantiated: " + e);
    }
  }
}
