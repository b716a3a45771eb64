package org.mlops4j.benchmarks.quant;

import java.util.SplittableRandom;

/** Seeded synthetic data for the quantisation benchmarks. */
final class QuantData {

    private QuantData() {
    }

    static byte[] bytes(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(-128, 128);
        }
        return b;
    }

    static float[] floats(long seed, int n, double sd) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            // sum of uniforms: cheap, bell-shaped, bounded
            f[i] = (float) ((r.nextDouble() + r.nextDouble() + r.nextDouble() - 1.5) * 2 * sd);
        }
        return f;
    }

    static short[] halves(long seed, int n) {
        float[] f = floats(seed, n, 1.0);
        short[] h = new short[n];
        for (int i = 0; i < n; i++) {
            h[i] = Float.floatToFloat16(f[i]);
        }
        return h;
    }

    static float[] scales(long seed, int n) {
        float[] s = floats(seed, n, 0.001);
        for (int i = 0; i < n; i++) {
            s[i] = Math.abs(s[i]) + 1e-4f;
        }
        return s;
    }
}
