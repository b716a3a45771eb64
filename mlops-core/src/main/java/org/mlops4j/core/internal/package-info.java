/**
 * Implementation details of mlops-core. Not an API: anything here may change in any release without
 * notice. Do not use it from outside mlops4j.
 */
package org.mlops4j.core.internal;
