/**
 * The in-memory registry store, for tests, notebooks and JShell
 * ({@code ModelRegistry.inMemory()} uses it).
 */
package org.mlops4j.core.registry.memory;
