package org.mlops4j.serving.protocol;

import java.util.Locale;

/**
 * The tensor datatypes of the Open Inference Protocol V2 and what each accepts: integers must be whole and in
 * range, {@code FP32} values must fit a 32-bit float (they are rounded to one, as the client declared),
 * {@code BYTES} carries categories.
 * {@snippet :
 * Datatype.parse("FP64", "inputs[0].datatype").isNumeric(); // true
 * }
 */
public enum Datatype {
    /** Booleans (refused for tabular models: no column is boolean). */
    BOOL(false, 0, 0),
    /** Unsigned 8-bit. */
    UINT8(true, 0, 255),
    /** Unsigned 16-bit. */
    UINT16(true, 0, 65_535),
    /** Unsigned 32-bit. */
    UINT32(true, 0, 4_294_967_295.0),
    /** Unsigned 64-bit. */
    UINT64(true, 0, 18_446_744_073_709_551_615.0),
    /** Signed 8-bit. */
    INT8(true, -128, 127),
    /** Signed 16-bit. */
    INT16(true, -32_768, 32_767),
    /** Signed 32-bit. */
    INT32(true, Integer.MIN_VALUE, Integer.MAX_VALUE),
    /** Signed 64-bit. */
    INT64(true, Long.MIN_VALUE, (double) Long.MAX_VALUE),
    /** 16-bit float. */
    FP16(false, -65_504, 65_504),
    /** 32-bit float. */
    FP32(false, -Float.MAX_VALUE, Float.MAX_VALUE),
    /** 64-bit float. */
    FP64(false, -Double.MAX_VALUE, Double.MAX_VALUE),
    /** Strings (categories). */
    BYTES(false, 0, 0);

    private final boolean integral;
    private final double min;
    private final double max;

    Datatype(boolean integral, double min, double max) {
        this.integral = integral;
        this.min = min;
        this.max = max;
    }

    /**
     * @param name a datatype name, as the protocol spells it (upper case)
     * @param field where, for the message
     * @return it
     * @throws RequestException naming the accepted names
     */
    public static Datatype parse(String name, String field) {
        if (name != null) {
            try {
                return valueOf(name);
            } catch (IllegalArgumentException e) {
                // below
            }
        }
        throw RequestException.badRequest(field, field + ": datatype " + (name == null ? "is missing" : "'" + Values.shorten(name) + "' is unknown")
                + "; expected one of FP32, FP64, FP16, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, BYTES"
                + (name != null && !name.equals(name.toUpperCase(Locale.ROOT)) ? " (upper case)" : ""));
    }

    /** @return whether values are numbers */
    public boolean isNumeric() {
        return this != BOOL && this != BYTES;
    }

    /**
     * @param v     a finite number
     * @param field where, for the message
     * @return the value as this datatype holds it
     */
    double check(double v, String field) {
        if (v < min || v > max) {
            throw RequestException.badRequest(field, field + ": " + v + " is outside the range of " + name());
        }
        if (integral && v != Math.rint(v)) {
            throw RequestException.badRequest(field, field + ": " + v + " is not a whole number, as " + name() + " requires");
        }
        return this == FP32 ? (float) v : this == FP16 ? Float.float16ToFloat(Float.floatToFloat16((float) v)) : v;
    }
}
