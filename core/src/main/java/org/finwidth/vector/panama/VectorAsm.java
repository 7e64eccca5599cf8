package org.finwidth.vector.panama;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A small assembler that writes Vector API calls as bytecode, one local variable per result
 * (static single assignment), so that generated kernels read like the hand-written ones:
 * {@code V t = a.fma(x, 1f, 2f)} emits {@code x.fma(1f, 2f)} into a fresh local. Only calls to the
 * Vector API itself are emitted (C2 inlines those whatever its node budget; no helper method of ours,
 * docs/performance.md), and float constants are {@code ldc} operands, never static vectors.
 * Method descriptors come from the real classes by reflection, so a wrong signature fails at
 * generation, not in the verifier.
 */
final class VectorAsm {
  /** A FloatVector in a local slot. */
  record V(int slot) {}

  /** An IntVector in a local slot. */
  record I(int slot) {}

  /** A VectorMask&lt;Float&gt; in a local slot. */
  record M(int slot) {}

  static final ClassDesc FV = desc(FloatVector.class);
  static final ClassDesc IV = desc(IntVector.class);
  static final ClassDesc VM = desc(VectorMask.class);
  static final ClassDesc VS = desc(VectorSpecies.class);
  static final ClassDesc KERNELS = ClassDesc.of(FloatActivationKernels.class.getName());
  private static final ClassDesc OPS = desc(VectorOperators.class);
  private static final Map<String, MethodTypeDesc> TYPES = new HashMap<>();

  final CodeBuilder cb;

  VectorAsm(CodeBuilder cb) {
    this.cb = cb;
  }

  static ClassDesc desc(Class<?> c) {
    return c.describeConstable().orElseThrow();
  }

  /** The descriptor of the public method owner.name(params), return type included. */
  static synchronized MethodTypeDesc type(Class<?> owner, String name, Class<?>... params) {
    StringBuilder key = new StringBuilder(owner.getName()).append('.').append(name);
    for (Class<?> p : params) {
      key.append(',').append(p.getName());
    }
    return TYPES.computeIfAbsent(key.toString(), k -> {
      try {
        Method m = owner.getMethod(name, params);
        ClassDesc[] ps = new ClassDesc[params.length];
        for (int i = 0; i < ps.length; i++) {
          ps[i] = desc(params[i]);
        }
        return MethodTypeDesc.of(desc(m.getReturnType()), ps);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("no method " + k, e);
      }
    });
  }

  private int local() {
    return cb.allocateLocal(TypeKind.REFERENCE);
  }

  private V storeV() {
    int s = local();
    cb.astore(s);
    return new V(s);
  }

  private M storeM() {
    int s = local();
    cb.astore(s);
    return new M(s);
  }

  private I storeI() {
    int s = local();
    cb.astore(s);
    return new I(s);
  }

  private void virt(Class<?> owner, String name, Class<?>... params) {
    cb.invokevirtual(desc(owner), name, type(owner, name, params));
  }

  /** Pushes the species FloatActivationKernels.F. */
  void species() {
    cb.getstatic(KERNELS, "F", VS);
  }

  private void op(String name) {
    try {
      cb.getstatic(OPS, name, desc(VectorOperators.class.getField(name).getType()));
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- float vectors ---------------------------------------------------------------------

  V bc(float c) {
    species();
    cb.ldc(c);
    cb.invokestatic(FV, "broadcast", type(FloatVector.class, "broadcast", VectorSpecies.class, float.class));
    return storeV();
  }

  private V vv(String name, V a, V b) {
    cb.aload(a.slot()).aload(b.slot());
    virt(FloatVector.class, name, Vector.class);
    return storeV();
  }

  private V vs(String name, V a, float c) {
    cb.aload(a.slot()).ldc(c);
    virt(FloatVector.class, name, float.class);
    return storeV();
  }

  V add(V a, V b) {
    return vv("add", a, b);
  }

  V add(V a, float c) {
    return vs("add", a, c);
  }

  V sub(V a, V b) {
    return vv("sub", a, b);
  }

  V sub(V a, float c) {
    return vs("sub", a, c);
  }

  V mul(V a, V b) {
    return vv("mul", a, b);
  }

  V mul(V a, float c) {
    return vs("mul", a, c);
  }

  V div(V a, V b) {
    return vv("div", a, b);
  }

  V div(V a, float c) {
    return vs("div", a, c);
  }

  V max(V a, V b) {
    return vv("max", a, b);
  }

  V max(V a, float c) {
    return vs("max", a, c);
  }

  V min(V a, V b) {
    return vv("min", a, b);
  }

  /** a·b + c. */
  V fma(V a, V b, V c) {
    cb.aload(a.slot()).aload(b.slot()).aload(c.slot());
    virt(FloatVector.class, "fma", Vector.class, Vector.class);
    return storeV();
  }

  /** a·b + c with constants b, c. */
  V fma(V a, float b, float c) {
    cb.aload(a.slot()).ldc(b).ldc(c);
    virt(FloatVector.class, "fma", float.class, float.class);
    return storeV();
  }

  private V unary(String name, V a) {
    cb.aload(a.slot());
    virt(FloatVector.class, name);
    return storeV();
  }

  V neg(V a) {
    return unary("neg", a);
  }

  V abs(V a) {
    return unary("abs", a);
  }

  V sqrt(V a) {
    return unary("sqrt", a);
  }

  /** a where m is false, b where it is true. */
  V blend(V a, V b, M m) {
    cb.aload(a.slot()).aload(b.slot()).aload(m.slot());
    virt(FloatVector.class, "blend", Vector.class, VectorMask.class);
    return storeV();
  }

  /** a where m is false, c where it is true. */
  V blend(V a, float c, M m) {
    cb.aload(a.slot()).ldc(c).aload(m.slot());
    virt(FloatVector.class, "blend", float.class, VectorMask.class);
    return storeV();
  }

  /** x with values below lo replaced by lo (NaN stays NaN): compare + blend. */
  V atLeast(V x, float lo) {
    return blend(x, lo, cmp(x, "LT", lo));
  }

  /** x with values above hi replaced by hi (NaN stays NaN). */
  V atMost(V x, float hi) {
    return blend(x, hi, cmp(x, "GT", hi));
  }

  /** −|x| (one OR of the sign bit). */
  V negAbs(V x) {
    return floats(or(ints(x), 0x80000000));
  }

  // ---- masks -----------------------------------------------------------------------------

  /** a OP b for OP in LT, LE, GT, GE, EQ, NE. */
  M cmp(V a, String op, V b) {
    cb.aload(a.slot());
    op(op);
    cb.aload(b.slot());
    virt(FloatVector.class, "compare", VectorOperators.Comparison.class, Vector.class);
    return storeM();
  }

  M cmp(V a, String op, float c) {
    cb.aload(a.slot());
    op(op);
    cb.ldc(c);
    virt(FloatVector.class, "compare", VectorOperators.Comparison.class, float.class);
    return storeM();
  }

  /** a.test(IS_NAN | IS_FINITE | ...). */
  M test(V a, String op) {
    cb.aload(a.slot());
    op(op);
    virt(FloatVector.class, "test", VectorOperators.Test.class);
    return storeM();
  }

  M and(M a, M b) {
    cb.aload(a.slot()).aload(b.slot());
    virt(VectorMask.class, "and", VectorMask.class);
    return storeM();
  }

  M or(M a, M b) {
    cb.aload(a.slot()).aload(b.slot());
    virt(VectorMask.class, "or", VectorMask.class);
    return storeM();
  }

  M not(M a) {
    cb.aload(a.slot());
    virt(VectorMask.class, "not");
    return storeM();
  }

  // ---- bits ------------------------------------------------------------------------------

  I ints(V a) {
    cb.aload(a.slot());
    virt(FloatVector.class, "reinterpretAsInts");
    return storeI();
  }

  V floats(I a) {
    cb.aload(a.slot());
    virt(IntVector.class, "reinterpretAsFloats");
    return storeV();
  }

  private I lanewise(String op, I a, int c) {
    cb.aload(a.slot());
    op(op);
    cb.ldc(c);
    virt(IntVector.class, "lanewise", VectorOperators.Binary.class, int.class);
    return storeI();
  }

  I shl(I a, int bits) {
    return lanewise("LSHL", a, bits);
  }

  I shr(I a, int bits) {
    return lanewise("LSHR", a, bits);
  }

  I and(I a, int c) {
    return lanewise("AND", a, c);
  }

  I or(I a, int c) {
    return lanewise("OR", a, c);
  }

  I xor(I a, int c) {
    return lanewise("XOR", a, c);
  }

  I add(I a, int c) {
    return lanewise("ADD", a, c);
  }

  I xor(I a, I b) {
    cb.aload(a.slot());
    op("XOR");
    cb.aload(b.slot());
    virt(IntVector.class, "lanewise", VectorOperators.Binary.class, Vector.class);
    return storeI();
  }

  /** The int lanes converted to float (I2F, same shape). */
  V toFloat(I a) {
    cb.aload(a.slot());
    op("I2F");
    cb.iconst_0();
    virt(IntVector.class, "convert", VectorOperators.Conversion.class, int.class);
    cb.checkcast(FV);
    return storeV();
  }
}
