/** HTTP endpoints: /health, /metrics (Prometheus), the status page and the attention view. */
package dev.streamformer.http;
