/**
 * The in-memory tracking store, for tests, notebooks and JShell ({@code Tracker.inMemory()} uses it).
 */
package org.mlops4j.core.tracking.memory;
