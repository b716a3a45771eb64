/**
 * For module authors: a {@link org.mlops4j.core.model.spi.ModelFlavor} writes a kind of model into a
 * bundle and reads it back; flavors are found by name with {@link java.util.ServiceLoader}.
 */
package org.mlops4j.core.model.spi;
