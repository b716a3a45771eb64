package org.mlops4j.core.internal.tribuo;

/** A class whose static initializer leaves a mark: a payload naming it must be refused without loading it. */
public final class Canary {
    static {
        System.setProperty("mlops4j.test.canary", "initialised");
    }

    private Canary() {
    }
}
