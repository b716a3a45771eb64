/**
 * Implementation details of mlops-tracking: SQL building, the content-addressed blob store, the MLflow
 * wire format and the HTTP handler of the server. Not an API: anything here may change in any release.
 */
package org.mlops4j.tracking.internal;
