/**
 * Everything that touches Tribuo: the built-in trainers' fits, the {@code tribuo} model and its flavor.
 * The only package of mlops4j that imports {@code org.tribuo} (an architecture test checks it).
 * Internal: not an API.
 */
package org.mlops4j.core.internal.tribuo;
