package io.oneshot.action;

import io.oneshot.pool.PoolSettings;
import java.util.Map;
import java.util.Objects;

/**
 * A checked {@code oneshot serve} request: the backend and its settings, GitHub, the pool, and how to
 * report. Values only; {@code toString()} shows no setting values (a backend's may be secret).
 *
 * @param backend the backend id
 * @param backendSettings the backend's settings as a start reads them
 * @param github the scope, credentials and API URL
 * @param pool the scale set and its bounds
 * @param metricsPort the port of {@code /healthz} and {@code /metrics}; 0 for none
 * @param jsonLogs whether log lines are JSON objects
 */
public record ServeRequest(String backend, Map<String, String> backendSettings, GitHubSettings github,
    PoolSettings pool, int metricsPort, boolean jsonLogs) {
  public ServeRequest {
    Objects.requireNonNull(backend, "backend");
    backendSettings = Map.copyOf(backendSettings);
    Objects.requireNonNull(github, "github");
    Objects.requireNonNull(pool, "pool");
  }

  @Override
  public String toString() {
    return "ServeRequest[backend=" + backend + ", settings=" + backendSettings.keySet() + ", scope="
        + github.scope() + ", scaleSet=" + pool.scaleSetName() + ", metricsPort=" + metricsPort + "]";
  }
}
