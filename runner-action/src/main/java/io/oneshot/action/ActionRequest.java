package io.oneshot.action;

import io.oneshot.core.FleetRequest;
import java.util.Map;
import java.util.Optional;

/**
 * A fully checked run: the mode, the backend and its settings, GitHub, the owner, and per mode the
 * fleet request (start) or the batch label (stop, status).
 *
 * @param mode what to do
 * @param backend the backend id
 * @param backendSettings the backend's inputs by name (secrets included: never print this map)
 * @param github GitHub scope, credentials and API URL
 * @param prefix the runner name prefix ({@code name})
 * @param start the fleet request, in start mode
 * @param runnerId the batch label, in stop and status mode; empty in a stop by workflow run
 * @param workflowRun the workflow run this step belongs to ({@code GITHUB_RUN_ID}), when in one
 * @param force whether stop also stops busy runners
 * @param debug whether progress is verbose
 */
public record ActionRequest(
    Mode mode,
    String backend,
    Map<String, String> backendSettings,
    GitHubSettings github,
    String prefix,
    Optional<FleetRequest> start,
    Optional<String> runnerId,
    Optional<String> workflowRun,
    boolean force,
    boolean debug) {

  public ActionRequest {
    backendSettings = Map.copyOf(backendSettings);
  }

  @Override
  public String toString() {
    return "ActionRequest[mode=" + mode + ", backend=" + backend + ", settings=" + backendSettings.keySet()
        + ", github=" + github + ", prefix=" + prefix + ", runnerId=" + runnerId
        + ", workflowRun=" + workflowRun + "]";
  }
}
