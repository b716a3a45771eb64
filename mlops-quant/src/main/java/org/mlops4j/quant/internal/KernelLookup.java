package org.mlops4j.quant.internal;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the kernel implementation once: the Vector API kernels when the {@code jdk.incubator.vector}
 * module is in the boot layer, C2 is on, the platform has vectors of at least 128 bits and a sanity run
 * agrees with the scalar kernels; the scalar kernels otherwise, with exactly one WARN saying why (and, when
 * the module is missing, naming {@code --add-modules jdk.incubator.vector}).
 *
 * <p>The Vector API kernels run at one width for the life of the JVM: the platform's preferred vector size
 * ({@code FloatVector.SPECIES_PREFERRED}) rounded down to 512, 256 or 128 bits, and named after it
 * ({@code panama-512}, …). The system property {@value #PROPERTY} forces a choice: {@code scalar}, or
 * {@code panama-256} / {@code panama-128} (or {@code panama-512}) for a width no wider than the
 * platform's; a wider request runs at the platform's width with one WARN. It is read once, when the kernels
 * are first used.
 *
 * <p>Internal: not part of the public API.
 *
 * <pre>{@code
 * KernelSupport k = KernelLookup.lookup();       // k.name(): "panama-512", "panama-256", ... or "scalar"
 * float d = k.dotFp32(a, 0, b, 0, 1024);
 * }</pre>
 */
public final class KernelLookup {

    /** System property that forces {@code scalar} or {@code panama-<bits>} kernels. */
    public static final String PROPERTY = "mlops.quant.kernels";
    static final String PANAMA_CLASS = "org.mlops4j.quant.internal.PanamaKernels";
    private static final Logger LOG = LoggerFactory.getLogger("org.mlops4j.quant.Kernels");
    private static final String ACCEPTED = "scalar, panama-512, panama-256, panama-128";

    private KernelLookup() {
    }

    /** @return the property's value, trimmed and lower-case; empty when unset */
    private static String forced() {
        return System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
    }

    /** @return the width {@value #PROPERTY} asks for, 0 when it asks for none (or for something unknown) */
    static int forcedBits(String forced) {
        return switch (forced) {
            case "panama-512" -> 512;
            case "panama-256" -> 256;
            case "panama-128" -> 128;
            default -> 0;
        };
    }

    /**
     * The kernels' width from the platform's preferred vector size and the property; called once, by the
     * Vector API kernels' class initialiser.
     *
     * @param preferred the platform's preferred vector size in bits
     * @return 512, 256 or 128
     * @throws UnsupportedOperationException when the platform's vectors are narrower than 128 bits
     */
    public static int chooseBits(int preferred) {
        return chooseBits(preferred, forcedBits(forced()));
    }

    static int chooseBits(int preferred, int forcedBits) {
        int widest = preferred >= 512 ? 512 : preferred >= 256 ? 256 : preferred >= 128 ? 128 : 0;
        if (widest == 0) {
            throw new UnsupportedOperationException("the preferred vector size is " + preferred
                    + " bits but the SIMD kernels need at least 128");
        }
        return forcedBits == 0 ? widest : Math.min(forcedBits, widest);
    }

    /** @return the best usable kernels, logging the choice (one WARN when degraded) */
    public static KernelSupport lookup() {
        ScalarKernels scalar = new ScalarKernels();
        String forced = forced();
        if (forced.equals("scalar")) {
            LOG.info("Quantization kernels: scalar (forced by -D{}=scalar)", PROPERTY);
            return scalar;
        }
        int forcedBits = forcedBits(forced);
        if (!forced.isEmpty() && forcedBits == 0) {
            LOG.warn("Ignoring -D{}={}: accepted values are {}. Choosing the kernels from the platform.",
                    PROPERTY, forced, ACCEPTED);
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            LOG.warn("Java Vector API module not enabled: quantization kernels run scalar (several times slower)."
                    + " Start the JVM with --add-modules jdk.incubator.vector to use the SIMD kernels.");
            return scalar;
        }
        String noC2 = withoutC2();
        if (noC2 != null) {
            LOG.warn("The Vector API needs the C2 compiler but the JVM runs with {}: quantization kernels run scalar."
                    + " Remove that flag (and keep --add-modules jdk.incubator.vector) to use the SIMD kernels.", noC2);
            return scalar;
        }
        try {
            Class<?> type = Class.forName(PANAMA_CLASS);
            KernelSupport panama = (KernelSupport) type.getDeclaredConstructor().newInstance();
            int preferred = (int) type.getMethod("preferredBits").invoke(null);
            String mismatch = sanityCheck(panama, scalar);
            if (mismatch != null) {
                LOG.warn("SIMD quantization kernels disagree with the scalar ones ({}): running scalar."
                        + " Please report this with your JDK and CPU (--add-modules jdk.incubator.vector is set).", mismatch);
                return scalar;
            }
            int bits = (int) type.getMethod("bits").invoke(panama);
            if (forcedBits > bits) {
                LOG.warn("-D{}={} asks for wider vectors than this platform's {} bits: running {}.", PROPERTY,
                        forced, preferred, panama.name());
            } else if (forcedBits != 0) {
                LOG.info("Quantization kernels: {} (Vector API, forced by -D{}; the platform prefers {} bits)",
                        panama.name(), PROPERTY, preferred);
            } else {
                LOG.info("Quantization kernels: {} (Vector API; the platform prefers {} bits)", panama.name(),
                        preferred);
            }
            return panama;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.warn("SIMD quantization kernels unavailable ({}): running scalar."
                    + " They need a JDK with --add-modules jdk.incubator.vector and vectors of at least 128 bits.",
                    cause.toString());
            return scalar;
        }
    }

    /** @return the flag that disables C2, or null when C2 is available */
    static String withoutC2() {
        if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
            return "-Xint";
        }
        try {
            List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
            for (String arg : args) {
                if (arg.startsWith("-XX:TieredStopAtLevel=") && !arg.endsWith("=4")) {
                    return arg;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // java.management missing: assume a default (C2) JVM
        }
        return null;
    }

    /** Runs every integer kernel on a small input (sizes with tails) and compares; null when they agree. */
    static String sanityCheck(KernelSupport simd, KernelSupport scalar) {
        int n = 77;
        byte[] a = new byte[n];
        byte[] b = new byte[n];
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) (i * 37 - 128);
            b[i] = (byte) (127 - i * 11);
            f[i] = (i - 38) * 0.37f;
        }
        if (simd.dotInt8(a, 0, b, 0, n) != scalar.dotInt8(a, 0, b, 0, n)) {
            return "dotInt8";
        }
        byte[] q1 = new byte[n];
        byte[] q2 = new byte[n];
        simd.quantize(f, 0, q1, 0, n, 9.5f, 3, -128, 127);
        scalar.quantize(f, 0, q2, 0, n, 9.5f, 3, -128, 127);
        if (!java.util.Arrays.equals(q1, q2)) {
            return "quantize";
        }
        short[] h = new short[n];
        float[] back1 = new float[n];
        float[] back2 = new float[n];
        simd.toFp16(f, 0, h, 0, n);
        simd.dequantize(q1, 0, back1, 0, n, 0.25f, 3);
        scalar.dequantize(q1, 0, back2, 0, n, 0.25f, 3);
        if (!java.util.Arrays.equals(back1, back2)) {
            return "dequantize";
        }
        float d1 = simd.dotFp16(h, 0, h, 0, n);
        float d2 = scalar.dotFp16(h, 0, h, 0, n);
        if (Math.abs(d1 - d2) > 1e-3f * Math.abs(d2)) {
            return "dotFp16";
        }
        return null;
    }
}
