package org.finwidth.activation;

/**
 * Special functions in double precision that {@link java.lang.Math} lacks: the error function
 * and its complement, the standard normal density and distribution function, and the logistic
 * sigmoid with its derivatives, each written so that it keeps full relative accuracy in the
 * tails (no {@code 1 - x} cancellation, no overflow for any finite or infinite argument).
 *
 * <p>Accuracy (measured against independent 60-digit {@link java.math.BigDecimal} series and
 * continued fractions in {@code SpecialFunctionsTest}): {@link #erf} and {@link #erfc} within a
 * few ulps (relative error below 1e-15) wherever the result is a normal double; {@link #normalCdf}
 * likewise for arguments down to about -37 (below, the result underflows).
 *
 * <p>Method. {@code |x| < 0.5}: the Maclaurin series
 * {@code erf x = (2/sqrt(pi)) sum_n (-1)^n x^(2n+1) / (n! (2n+1))}, 14 terms (truncation below
 * 1e-18 relative). {@code 0.5 <= x < 27.5}: {@code erfc x = erfcx(x) exp(-x^2)} with the scaled
 * complement {@code erfcx} from piecewise Chebyshev interpolants (ten intervals, degree 15 to 20,
 * coefficients generated in 50-digit arithmetic by {@code tools/erfcx_chebyshev.py}, worst
 * relative error 1.8e-16 in double) and {@code exp(-x^2)} evaluated from the exact split
 * {@code x^2 = hi + lo} ({@link Math#fma}), so that the rounding of {@code x^2} (up to 8e-14
 * relative near x = 27) does not reach the result. Beyond 27.5 erfc underflows to 0.
 */
public final class SpecialFunctions {
  private SpecialFunctions() {}

  /** 2/sqrt(pi), rounded to double. */
  public static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
  /** 1/sqrt(2 pi), rounded to double. */
  public static final double INV_SQRT_2PI = 0.3989422804014327;
  /** sqrt(2/pi), rounded to double. */
  public static final double SQRT_2_OVER_PI = 0.7978845608028654;
  /** 1/sqrt(2) split as HI + LO (HI the double nearest, LO the rest, 40-digit arithmetic). */
  private static final double INV_SQRT2_HI = 0.7071067811865476;
  private static final double INV_SQRT2_LO = -4.833646656726457e-17;

  /** Maclaurin coefficients of erf(x)/x in powers of x^2: (2/sqrt(pi)) (-1)^n / (n! (2n+1)). */
  private static final double[] ERF_SERIES = new double[14];

  static {
    double factorial = 1;
    for (int n = 0; n < ERF_SERIES.length; n++) {
      if (n > 0) {
        factorial *= n;
      }
      double sign = (n % 2 == 0) ? 1 : -1;
      ERF_SERIES[n] = sign * TWO_OVER_SQRT_PI / (factorial * (2 * n + 1));
    }
  }

  private static final double[] ERFCX_BREAKS = {0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 9.0, 14.0, 20.0, 27.5};
  private static final double[][] ERFCX_CHEB = {
    { // [0.5, 1.0]
      0.5142540300448141, -0.09353436157631646, 0.007349543567965961,
      -0.0005170287683170955, 3.327489181039832e-05, -1.9877609419315706e-06,
      1.1137198399251981e-07, -5.898649609389129e-09, 2.9712990142852805e-10,
      -1.430488185776257e-11, 6.608616284265577e-13, -2.9395552899978545e-14,
      1.2625028540389098e-15, -5.2483535009780805e-17, 2.116285797284684e-18,
      -8.292626588274519e-20, 3.1586787429807547e-21,
    },
    { // [1.0, 1.5]
      0.3711927943420716, -0.052799551940465685, 0.00338076236159189,
      -0.00019896338415156294, 1.0911979120987141e-05, -5.632372066195936e-07,
      2.7564656102315984e-08, -1.2864435796900215e-09, 5.75189434369204e-11,
      -2.473180238194912e-12, 1.0258794609509988e-13, -4.116181633727295e-15,
      1.6012087659239977e-16, -6.050937818600348e-18, 2.225241880186757e-19,
      -7.966447864848393e-21,
    },
    { // [1.5, 2.0]
      0.28672723893640484, -0.03300680108481147, 0.0017591477886840761,
      -8.788195718624664e-05, 4.1516102756112e-06, -1.86697213290856e-07,
      8.033784461538863e-09, -3.321836144278999e-10, 1.3243525744778221e-11,
      -5.105578892334744e-13, 1.9079334307984007e-14, -6.92582075972267e-16,
      2.446601830999504e-17, -8.424357994177433e-19, 2.831449923171198e-20,
      -9.291630105608957e-22,
    },
    { // [2.0, 3.0]
      0.21398248255623223, -0.037938404099999566, 0.0031959178113380353,
      -0.0002573666707889977, 1.9905838950216772e-05, -1.484277185436206e-06,
      1.0702889548418397e-07, -7.482824223542503e-09, 5.083548493074793e-10,
      -3.362256906091922e-11, 2.168583689441302e-12, -1.3659497593967644e-13,
      8.413302379714435e-15, -5.073076118138881e-16, 2.997771008919519e-17,
      -1.7376147448921784e-18, 9.887835168813524e-20, -5.5118370970359826e-21,
    },
    { // [3.0, 4.0]
      0.15664177324548129, -0.02091546173436561, 0.0013533062741154646,
      -8.507320563146502e-05, 5.206702837134669e-06, -3.1080131383071883e-07,
      1.812288027485316e-08, -1.0336821988321494e-09, 5.7741095304546024e-11,
      -3.162182437881998e-12, 1.6994584246907247e-13, -8.970835568269195e-15,
      4.654746280281549e-16, -2.375809968761893e-17, 1.1936182195978208e-18,
      -5.90632606571323e-20, 2.8735916117933473e-21,
    },
    { // [4.0, 6.0]
      0.11277819743166245, -0.021913497155272348, 0.0020915397845687493,
      -0.00019628624819122983, 1.8126654238718202e-05, -1.6483628246572167e-06,
      1.4769699327777977e-07, -1.3047490253442588e-08, 1.136975347104367e-09,
      -9.778180226640498e-11, 8.303212348062975e-12, -6.964650842590714e-13,
      5.772832164827164e-14, -4.730148558369678e-15, 3.8327149743850626e-16,
      -3.072023311339046e-17, 2.4364672260032464e-18, -1.912600615421789e-19,
      1.4778201562686996e-20,
    },
    { // [6.0, 9.0]
      0.07604391283711763, -0.015088303857908478, 0.0014840983965874785,
      -0.00014476155730651114, 1.4005518726756018e-05, -1.3442598172224686e-06,
      1.280217772369545e-07, -1.2099734776208073e-08, 1.1350903629899972e-09,
      -1.0570987530650419e-10, 9.774535565502463e-12, -8.974995110927677e-13,
      8.184445363885428e-14, -7.413412738810708e-15, 6.670764817815469e-16,
      -5.963676244967242e-17, 5.2976575138542324e-18, -4.676634219384582e-19,
      4.102849699319073e-20, -3.5514102319098235e-21,
    },
    { // [9.0, 14.0]
      0.050050627351065476, -0.010925085136300847, 0.0011878048399859241,
      -0.00012865283736042502, 1.3882454288075879e-05, -1.4924640146347436e-06,
      1.598637159165829e-07, -1.7061673143896643e-08, 1.8144118002469708e-09,
      -1.9226892212462542e-10, 2.0302867648084918e-11, -2.136468267973011e-12,
      2.2404829189686452e-13, -2.3415744430327353e-14, 2.438990608268793e-15,
      -2.531992877685254e-16, 2.619866027868625e-17, -2.7019275252909922e-18,
      2.7775336259398164e-19, -2.845798832250376e-20, 2.877047944742106e-21,
    },
    { // [14.0, 20.0]
      0.03365403710277338, -0.005964485195130788, 0.0005276125972515636,
      -4.659054365348795e-05, 4.107001136667048e-06, -3.6141005963429264e-07,
      3.17488441847651e-08, -2.7842724284133036e-09, 2.4375608739638404e-10,
      -2.1304086581967266e-11, 1.858821971944381e-12, -1.6191377238600432e-13,
      1.4080061253347347e-14, -1.222372747543077e-15, 1.0594603289395858e-16,
      -9.167505741455015e-18, 7.919661476094237e-19, -6.830527784853269e-20,
      5.881316533922618e-21, -5.019202267593184e-22,
    },
    { // [20.0, 27.5]
      0.024034482888608138, -0.003811893696954469, 0.0003020126056886173,
      -2.3906649421733334e-05, 1.8907006279735998e-06, -1.4939576637609604e-07,
      1.1794141289506549e-08, -9.302676451521815e-10, 7.331014793207018e-11,
      -5.772127201129614e-12, 4.5407159051505517e-13, -3.568867503719119e-14,
      2.8025617225382598e-15, -2.198870328825308e-16, 1.72371206802016e-17,
      -1.350055081799501e-18, 1.0564788497244947e-19, -8.259958439947788e-21,
      6.413573002573686e-22,
    },
  };

  /**
   * The error function {@code erf(x) = (2/sqrt(pi)) int_0^x exp(-t^2) dt}.
   *
   * @param x any double; erf(+-Infinity) = +-1, erf(NaN) = NaN
   * @return erf(x) with relative error below 1e-15
   */
  public static double erf(double x) {
    double ax = Math.abs(x);
    if (ax < 0.5) {
      return x * erfSeries(x * x);
    }
    if (!(ax >= 0.5)) {
      return x; // NaN
    }
    // erfc(|x|) <= 0.48 here, so 1 - erfc loses no relative accuracy.
    double r = 1 - erfcPositive(ax, 0);
    return x > 0 ? r : -r;
  }

  /**
   * The complementary error function {@code erfc(x) = 1 - erf(x)}, accurate in the upper tail.
   *
   * @param x any double; erfc(+Infinity) = 0, erfc(-Infinity) = 2, erfc(NaN) = NaN
   * @return erfc(x), relative error below 1e-15 where the result is a normal double (x &lt; 26.5)
   */
  public static double erfc(double x) {
    if (x >= 0.5) {
      return erfcPositive(x, 0);
    }
    if (x > -0.5) {
      return 1 - x * erfSeries(x * x);
    }
    if (x <= -0.5) {
      return 2 - erfcPositive(-x, 0);
    }
    return x; // NaN
  }

  /**
   * The standard normal distribution function {@code Phi(u) = erfc(-u/sqrt 2)/2}.
   *
   * <p>The argument {@code -u/sqrt 2} is formed in double-double arithmetic and its low part is
   * applied as a first-order correction, so that the rounding of {@code u/sqrt 2} (which would
   * cost up to {@code 2 x^2} ulps, 1e-13 relative near u = -37) does not reach the result.
   *
   * @param u any double; Phi(-Infinity) = 0, Phi(+Infinity) = 1, Phi(NaN) = NaN
   * @return Phi(u), relative error below 1e-15 while the result is a normal double
   */
  public static double normalCdf(double u) {
    double t = -u * INV_SQRT2_HI;
    if (t >= 0.5) {
      double tLo = Math.fma(-u, INV_SQRT2_HI, -t) - u * INV_SQRT2_LO;
      return 0.5 * erfcPositive(t, tLo);
    }
    if (t > -0.5) {
      return 0.5 - 0.5 * (t * erfSeries(t * t));
    }
    if (t <= -0.5) {
      // Phi is close to 1 here; the rounding of t only moves the tiny complement.
      return 1 - 0.5 * erfcPositive(-t, 0);
    }
    return u; // NaN
  }

  /**
   * The standard normal density {@code phi(u) = exp(-u^2/2)/sqrt(2 pi)}, with {@code u^2} split
   * exactly so that the result keeps full relative accuracy for large |u|.
   *
   * @param u any double; phi(+-Infinity) = 0
   * @return phi(u)
   */
  public static double normalPdf(double u) {
    return INV_SQRT_2PI * expMinusHalfSquare(u);
  }

  /**
   * {@code exp(-u^2/2)} to within about one ulp more than {@link Math#exp}, for any u
   * ({@code exp(-Infinity) = 0}). The exact split {@code u^2 = hi + lo} removes the rounding
   * error of {@code u*u}, which {@code exp} would amplify by {@code u^2/2}.
   */
  public static double expMinusHalfSquare(double u) {
    double hi = u * u;
    if (hi > 1500 || hi != hi) {
      return hi != hi ? hi : 0; // exp(-750) underflows; avoid inf - inf in the fma below
    }
    double lo = Math.fma(u, u, -hi);
    return Math.exp(-0.5 * hi) * (1 - 0.5 * lo);
  }

  /** {@code exp(-x^2)} with the same exact split as {@link #expMinusHalfSquare}. */
  static double expMinusSquare(double x) {
    double hi = x * x;
    if (hi > 750 || hi != hi) {
      return hi != hi ? hi : 0;
    }
    double lo = Math.fma(x, x, -hi);
    return Math.exp(-hi) * (1 - lo);
  }

  /**
   * The logistic sigmoid {@code s(x) = 1/(1 + e^-x)}, evaluated without overflow and with full
   * relative accuracy in the lower tail ({@code e^x/(1 + e^x)} for x &lt; 0).
   */
  public static double logistic(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e); // NaN stays NaN
  }

  /**
   * {@code s'(x) = s(x)(1 - s(x)) = e/(1+e)^2} with {@code e = exp(-|x|)}: no cancellation in
   * {@code 1 - s} for large x, no overflow; {@code s'(+-Infinity) = 0}.
   */
  public static double logisticD1(double x) {
    double e = Math.exp(-Math.abs(x));
    double d = 1 + e;
    return e / (d * d);
  }

  /**
   * {@code s''(x) = s'(x)(1 - 2 s(x)) = -s'(x) tanh(x/2)}; the tanh form avoids the cancellation
   * in {@code 1 - 2s} near 0. {@code s''(+-Infinity) = 0}.
   */
  public static double logisticD2(double x) {
    double d1 = logisticD1(x);
    return d1 == 0 ? 0 : -d1 * Math.tanh(0.5 * x);
  }

  /** erf(x)/x for x^2 = x2 &lt; 0.25 by Horner's rule on the Maclaurin series. */
  private static double erfSeries(double x2) {
    double s = ERF_SERIES[ERF_SERIES.length - 1];
    for (int n = ERF_SERIES.length - 2; n >= 0; n--) {
      s = Math.fma(s, x2, ERF_SERIES[n]);
    }
    return s;
  }

  /**
   * erfc(x + dx) for x &gt;= 0.5 and a small correction |dx| &lt;= ulp(x), to first order in dx:
   * {@code erfc(x + dx) = exp(-x^2) (erfcx(x) - dx 2/sqrt(pi))}.
   */
  private static double erfcPositive(double x, double dx) {
    assert x >= 0.5 : x;
    if (x >= ERFCX_BREAKS[ERFCX_BREAKS.length - 1]) {
      return 0; // erfc(27.5) < 1e-330: below the smallest subnormal
    }
    return (erfcx(x) - dx * TWO_OVER_SQRT_PI) * expMinusSquare(x);
  }

  /**
   * The scaled complementary error function {@code erfcx(x) = exp(x^2) erfc(x)} for
   * {@code 0.5 <= x < 27.5}, from the Chebyshev interpolant of its interval (Clenshaw).
   */
  static double erfcx(double x) {
    int i = 0;
    while (x >= ERFCX_BREAKS[i + 1]) {
      i++;
    }
    double a = ERFCX_BREAKS[i];
    double b = ERFCX_BREAKS[i + 1];
    double t = (2 * x - a - b) / (b - a);
    double[] c = ERFCX_CHEB[i];
    double b1 = 0;
    double b2 = 0;
    double t2 = 2 * t;
    for (int k = c.length - 1; k > 0; k--) {
      double tmp = Math.fma(t2, b1, c[k] - b2);
      b2 = b1;
      b1 = tmp;
    }
    return Math.fma(t, b1, c[0] - b2);
  }
}
