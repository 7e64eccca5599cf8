package org.finwidth.vector.panama;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.util.concurrent.atomic.AtomicLong;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.finwidth.activation.expr.Expr;
import org.finwidth.vector.panama.VectorAsm.M;
import org.finwidth.vector.panama.VectorAsm.V;

/**
 * Compiles a formula tree to a hidden class of straight-line Vector API code (JDK class-file API,
 * {@code java.lang.classfile}): a vector loop over full vectors and a masked tail in its own method,
 * like the catalogue's kernels, with every building block ({@link VectorMath}) written out in place.
 * The value kernel evaluates the tree in float; the derivative kernel carries a dual number (value,
 * derivative) through every node (forward-mode automatic differentiation of order 1), with the
 * left-hand limit where a comparison, max, min, abs or relu ties (decided by the first derivatives,
 * then by the comparison as written).
 *
 * <p>Why bytecode: a tree of lambdas over {@code FloatVector} would pass vectors through calls that
 * C2 must inline to avoid boxing them, and the polymorphic call sites of a tree defeat that
 * (docs/performance.md); generated straight-line code calls only the Vector API. A method over
 * {@link #MAX_CODE_BYTES} bytes of bytecode would not be compiled by the JIT at all (HotSpot's
 * HugeMethodLimit): {@link #compile} then returns null and the caller evaluates in double.
 */
final class FormulaCompiler {
  private FormulaCompiler() {}

  /** Largest method the JIT compiles (HotSpot's HugeMethodLimit is 8000 bytes). */
  static final int MAX_CODE_BYTES = 7900;

  private static final AtomicLong COUNTER = new AtomicLong();
  private static final ClassDesc KERNEL = ClassDesc.of(FloatArrayKernel.class.getName());
  private static final ClassDesc FLOATS = ConstantDescs.CD_float.arrayType();
  private static final MethodTypeDesc APPLY = MethodTypeDesc.of(ConstantDescs.CD_void, FLOATS,
      ConstantDescs.CD_int, FLOATS, ConstantDescs.CD_int, ConstantDescs.CD_int);
  private static final MethodTypeDesc TAIL = MethodTypeDesc.of(ConstantDescs.CD_void, FLOATS,
      ConstantDescs.CD_int, FLOATS, ConstantDescs.CD_int, ConstantDescs.CD_int, ConstantDescs.CD_int);

  /** A value and its derivative (null: identically 0). */
  private record D(V v, V d) {}

  /**
   * The kernel of σ (derivative false) or σ' (true), or null if the generated code is too large
   * for the JIT.
   *
   * @throws IllegalStateException if the class cannot be generated or defined (a bug)
   */
  static FloatArrayKernel compile(Expr tree, boolean derivative) {
    String name = FloatArrayKernel.class.getPackageName() + ".Formula" + (derivative ? "D" : "V")
        + COUNTER.incrementAndGet();
    ClassDesc self = ClassDesc.of(name);
    byte[] bytes = ClassFile.of().build(self, clb -> {
      clb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC);
      clb.withInterfaceSymbols(KERNEL);
      clb.withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_PUBLIC,
          cb -> cb.aload(0).invokespecial(ConstantDescs.CD_Object, ConstantDescs.INIT_NAME,
              ConstantDescs.MTD_void).return_());
      clb.withMethodBody("apply", APPLY, ClassFile.ACC_PUBLIC,
          cb -> loop(cb, self, tree, derivative));
      clb.withMethodBody("tail", TAIL, ClassFile.ACC_STATIC | ClassFile.ACC_PRIVATE,
          cb -> tail(cb, tree, derivative));
    });
    ClassModel model = ClassFile.of().parse(bytes);
    for (MethodModel m : model.methods()) {
      int size = m.findAttribute(java.lang.classfile.Attributes.code())
          .map(CodeAttribute::codeLength).orElse(0);
      if (size > MAX_CODE_BYTES) {
        return null;
      }
    }
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(bytes, true);
      return (FloatArrayKernel) lookup.findConstructor(lookup.lookupClass(),
          java.lang.invoke.MethodType.methodType(void.class)).invoke();
    } catch (Throwable e) {
      throw new IllegalStateException("formula kernel " + name + " could not be defined: " + e, e);
    }
  }

  // locals of apply: 0 this, 1 z, 2 zo, 3 out, 4 oo, 5 n; then i, bound, lanes
  private static void loop(CodeBuilder cb, ClassDesc self, Expr tree, boolean derivative) {
    VectorAsm a = new VectorAsm(cb);
    int i = cb.allocateLocal(java.lang.classfile.TypeKind.INT);
    int bound = cb.allocateLocal(java.lang.classfile.TypeKind.INT);
    int lanes = cb.allocateLocal(java.lang.classfile.TypeKind.INT);
    cb.iconst_0().istore(i);
    a.species();
    cb.iload(5);
    cb.invokeinterface(VectorAsm.VS, "loopBound", VectorAsm.type(VectorSpecies.class, "loopBound", int.class));
    cb.istore(bound);
    a.species();
    cb.invokeinterface(VectorAsm.VS, "length", VectorAsm.type(VectorSpecies.class, "length"));
    cb.istore(lanes);
    Label head = cb.newLabel();
    Label done = cb.newLabel();
    cb.labelBinding(head);
    cb.iload(i).iload(bound).if_icmpge(done);
    // x = FloatVector.fromArray(F, z, zo + i)
    a.species();
    cb.aload(1).iload(2).iload(i).iadd();
    cb.invokestatic(VectorAsm.FV, "fromArray", VectorAsm.type(FloatVector.class, "fromArray",
        VectorSpecies.class, float[].class, int.class));
    int xs = cb.allocateLocal(java.lang.classfile.TypeKind.REFERENCE);
    cb.astore(xs);
    V result = body(a, tree, new V(xs), derivative);
    cb.aload(result.slot()).aload(3).iload(4).iload(i).iadd();
    cb.invokevirtual(VectorAsm.FV, "intoArray", VectorAsm.type(FloatVector.class, "intoArray",
        float[].class, int.class));
    cb.iload(i).iload(lanes).iadd().istore(i);
    cb.goto_(head);
    cb.labelBinding(done);
    Label end = cb.newLabel();
    cb.iload(i).iload(5).if_icmpge(end);
    cb.aload(1).iload(2).aload(3).iload(4).iload(5).iload(i);
    cb.invokestatic(self, "tail", TAIL);
    cb.labelBinding(end);
    cb.return_();
  }

  // locals of tail: 0 z, 1 zo, 2 out, 3 oo, 4 n, 5 i
  private static void tail(CodeBuilder cb, Expr tree, boolean derivative) {
    VectorAsm a = new VectorAsm(cb);
    a.species();
    cb.iload(5).iload(4);
    cb.invokeinterface(VectorAsm.VS, "indexInRange", VectorAsm.type(VectorSpecies.class,
        "indexInRange", int.class, int.class));
    int mask = cb.allocateLocal(java.lang.classfile.TypeKind.REFERENCE);
    cb.astore(mask);
    a.species();
    cb.aload(0).iload(1).iload(5).iadd().aload(mask);
    cb.invokestatic(VectorAsm.FV, "fromArray", VectorAsm.type(FloatVector.class, "fromArray",
        VectorSpecies.class, float[].class, int.class, VectorMask.class));
    int xs = cb.allocateLocal(java.lang.classfile.TypeKind.REFERENCE);
    cb.astore(xs);
    V result = body(a, tree, new V(xs), derivative);
    cb.aload(result.slot()).aload(2).iload(3).iload(5).iadd().aload(mask);
    cb.invokevirtual(VectorAsm.FV, "intoArray", VectorAsm.type(FloatVector.class, "intoArray",
        float[].class, int.class, VectorMask.class));
    cb.return_();
  }

  private static V body(VectorAsm a, Expr tree, V x, boolean derivative) {
    Emitter e = new Emitter(a, x, derivative);
    D r = e.emit(tree);
    if (!derivative) {
      return r.v();
    }
    V d = r.d() == null ? a.bc(0f) : r.d();
    // NaN in, NaN out: wherever σ is NaN, so is σ'.
    return a.blend(d, Float.NaN, a.test(r.v(), "IS_NAN"));
  }

  /** Emits one tree; in derivative mode each node carries (value, derivative). */
  private static final class Emitter {
    final VectorAsm a;
    final VectorMath m;
    final V x;
    final boolean dual;

    Emitter(VectorAsm a, V x, boolean dual) {
      this.a = a;
      this.m = new VectorMath(a);
      this.x = x;
      this.dual = dual;
    }

    D emit(Expr e) {
      return switch (e) {
        case Expr.Const c -> new D(a.bc((float) c.value()), null);
        case Expr.Var v -> new D(x, dual ? a.bc(1f) : null);
        case Expr.Neg n -> {
          D u = emit(n.a());
          yield new D(a.neg(u.v()), u.d() == null ? null : a.neg(u.d()));
        }
        case Expr.Binary b -> binary(b);
        case Expr.Call c -> call(c);
        case Expr.Where w -> where(w);
      };
    }

    /** d·f (null if d is null). */
    private V times(V f, V d) {
      return d == null ? null : a.mul(f, d);
    }

    private V plus(V p, V q) {
      if (p == null) {
        return q;
      }
      return q == null ? p : a.add(p, q);
    }

    private D binary(Expr.Binary b) {
      if (b.op() == Expr.Op.POW) {
        return power(b);
      }
      D p = emit(b.a());
      D q = emit(b.b());
      V v;
      V d = null;
      switch (b.op()) {
        case ADD -> {
          v = a.add(p.v(), q.v());
          if (dual) {
            d = plus(p.d(), q.d());
          }
        }
        case SUB -> {
          v = a.sub(p.v(), q.v());
          if (dual) {
            d = plus(p.d(), q.d() == null ? null : a.neg(q.d()));
          }
        }
        case MUL -> {
          v = a.mul(p.v(), q.v());
          if (dual) {
            d = plus(times(q.v(), p.d()), times(p.v(), q.d()));
          }
        }
        case DIV -> {
          v = a.div(p.v(), q.v());
          if (dual) {
            // (p' − v q')/q
            V num = plus(p.d(), q.d() == null ? null : a.neg(a.mul(v, q.d())));
            d = num == null ? null : a.div(num, q.v());
          }
        }
        default -> throw new IllegalStateException(b.op().toString());
      }
      return new D(v, d);
    }

    /** u^c for a constant integer c, |c| ≤ 64, by repeated squaring (1 for c = 0). */
    private V integerPower(V u, int c) {
      int n = Math.abs(c);
      V result = null;
      V base = u;
      while (n > 0) {
        if ((n & 1) == 1) {
          result = result == null ? base : a.mul(result, base);
        }
        n >>= 1;
        if (n > 0) {
          base = a.mul(base, base);
        }
      }
      if (result == null) {
        // u^0 = 1, NaN for NaN (Math.pow(NaN, 0) is 1, but the double reference pow is too)
        result = a.bc(1f);
      }
      return c < 0 ? a.div(a.bc(1f), result) : result;
    }

    /** u^c for a constant c: integer powers by products, else exp(c ln u) (NaN for u &lt; 0). */
    private V constantPower(V u, double c) {
      if (c == Math.rint(c) && Math.abs(c) <= 64) {
        return integerPower(u, (int) c);
      }
      if (c == 0.5) {
        return a.sqrt(u);
      }
      return m.exp(a.mul(m.log(u), (float) c));
    }

    private D power(Expr.Binary b) {
      D u = emit(b.a());
      if (b.b() instanceof Expr.Const c) {
        double p = c.value();
        V v = constantPower(u.v(), p);
        V d = null;
        if (dual && u.d() != null && p != 0) {
          // p u^(p−1) u'
          d = a.mul(a.mul(constantPower(u.v(), p - 1), (float) p), u.d());
        }
        return new D(v, d);
      }
      D w = emit(b.b());
      V lu = m.log(u.v());
      V v = m.exp(a.mul(w.v(), lu));
      V d = null;
      if (dual) {
        // v (w' ln u + w u'/u)
        V inner = plus(times(lu, w.d()), u.d() == null ? null : a.div(a.mul(w.v(), u.d()), u.v()));
        d = inner == null ? null : a.mul(v, inner);
      }
      return new D(v, d);
    }

    private D call(Expr.Call c) {
      if (c.fn() == Expr.Fn.MAX || c.fn() == Expr.Fn.MIN) {
        D p = emit(c.args().get(0));
        D q = emit(c.args().get(1));
        boolean max = c.fn() == Expr.Fn.MAX;
        V v = max ? a.max(p.v(), q.v()) : a.min(p.v(), q.v());
        V d = null;
        if (dual && (p.d() != null || q.d() != null)) {
          V dp = p.d() == null ? a.bc(0f) : p.d();
          V dq = q.d() == null ? a.bc(0f) : q.d();
          // the winner's slope; at a tie the left-hand one: max takes the smaller slope, min the larger
          M pWins = a.cmp(p.v(), max ? "GT" : "LT", q.v());
          V pick = a.blend(dq, dp, pWins);
          V tie = max ? a.min(dp, dq) : a.max(dp, dq);
          d = a.blend(pick, tie, a.cmp(p.v(), "EQ", q.v()));
        }
        return new D(v, d);
      }
      D u = emit(c.args().get(0));
      V uv = u.v();
      V v;
      V f1 = null; // f'(u), when needed
      boolean need = dual && u.d() != null;
      switch (c.fn()) {
        case EXP -> {
          v = m.exp(uv);
          f1 = v;
        }
        case EXPM1 -> {
          v = m.expm1(uv);
          f1 = need ? m.exp(uv) : null;
        }
        case LOG -> {
          v = m.log(uv);
          f1 = need ? a.div(a.bc(1f), uv) : null;
        }
        case LOG1P -> {
          v = m.log1p(uv);
          f1 = need ? a.div(a.bc(1f), a.add(uv, 1f)) : null;
        }
        case SQRT -> {
          v = a.sqrt(uv);
          f1 = need ? a.div(a.bc(0.5f), v) : null;
        }
        case TANH -> {
          v = m.tanh(uv);
          f1 = need ? m.sech2(uv) : null;
        }
        case SINH -> {
          v = m.sinh(uv);
          f1 = need ? m.cosh(uv) : null;
        }
        case COSH -> {
          v = m.cosh(uv);
          f1 = need ? m.sinh(uv) : null;
        }
        case SIN -> {
          v = m.sin(uv, false);
          f1 = need ? m.sin(uv, true) : null;
        }
        case COS -> {
          v = m.sin(uv, true);
          f1 = need ? a.neg(m.sin(uv, false)) : null;
        }
        case ATAN -> {
          v = m.atan(uv);
          f1 = need ? a.div(a.bc(1f), a.fma(uv, uv, a.bc(1f))) : null;
        }
        case ERF -> {
          v = m.erf(uv);
          f1 = need ? m.erfDerivative(uv) : null;
        }
        case ERFC -> {
          v = m.erfc(uv);
          f1 = need ? a.neg(m.erfDerivative(uv)) : null;
        }
        case SIGMOID -> {
          v = m.sigmoid(uv);
          f1 = need ? m.sigmoidDerivative(uv) : null;
        }
        case SOFTPLUS -> {
          v = m.softplus(uv);
          f1 = need ? m.sigmoid(uv) : null;
        }
        case ABS -> {
          v = a.abs(uv);
          if (need) {
            // sign(u) u'; at u = 0 the left-hand limit −|u'|
            V du = u.d();
            V s = a.blend(a.neg(du), du, a.cmp(uv, "GT", 0f));
            return new D(v, a.blend(s, a.neg(a.abs(du)), a.cmp(uv, "EQ", 0f)));
          }
        }
        case RELU -> {
          v = a.max(uv, 0f);
          if (need) {
            V du = u.d();
            V s = a.blend(a.bc(0f), du, a.cmp(uv, "GT", 0f));
            return new D(v, a.blend(s, a.min(du, a.bc(0f)), a.cmp(uv, "EQ", 0f)));
          }
        }
        case STEP -> {
          // NaN stays NaN; 0 at and below 0
          v = a.blend(a.blend(uv, 0f, a.cmp(uv, "LE", 0f)), 1f, a.cmp(uv, "GT", 0f));
          return new D(v, null);
        }
        default -> throw new IllegalStateException(c.fn().toString());
      }
      return new D(v, f1 == null || !need ? null : a.mul(f1, u.d()));
    }

    private D where(Expr.Where w) {
      D l = emit(w.l());
      D r = emit(w.r());
      D p = emit(w.a());
      D q = emit(w.b());
      String op = w.cmp().name();
      M exact = a.cmp(l.v(), op, r.v());
      V v = a.blend(q.v(), p.v(), exact);
      // the double reference gives NaN when either side of the comparison is NaN
      v = a.blend(v, Float.NaN, a.or(a.test(l.v(), "IS_NAN"), a.test(r.v(), "IS_NAN")));
      V d = null;
      if (dual && (p.d() != null || q.d() != null)) {
        V dp = p.d() == null ? a.bc(0f) : p.d();
        V dq = q.d() == null ? a.bc(0f) : q.d();
        M side = exact;
        if (l.d() != null || r.d() != null) {
          // at a tie, the comparison just left of z: l − r decreases there if l' &gt; r'
          V dl = l.d() == null ? a.bc(0f) : l.d();
          V dr = r.d() == null ? a.bc(0f) : r.d();
          boolean less = w.cmp() == Expr.Cmp.LT || w.cmp() == Expr.Cmp.LE;
          M slope = a.cmp(dl, less ? "GT" : "LT", dr);
          M flat = a.cmp(dl, "EQ", dr);
          M tie = a.cmp(l.v(), "EQ", r.v());
          M atTie = a.or(slope, a.and(flat, exact));
          side = a.or(a.and(exact, a.not(tie)), a.and(tie, atTie));
        }
        d = a.blend(dq, dp, side);
      }
      return new D(v, d);
    }
  }
}
