/** The HTTP transport interface and its Jetty 12 implementation. */
package org.mlops4j.serving.http;
