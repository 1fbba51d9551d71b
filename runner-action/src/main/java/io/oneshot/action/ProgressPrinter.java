package io.oneshot.action;

import io.oneshot.core.FleetEvent;
import io.oneshot.core.FleetListener;
import io.oneshot.core.FleetPhase;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;

/**
 * Prints fleet events as one line each with the elapsed time, for example
 * {@code [ 12.4s] oneshot-k3f9x2ab  ONLINE        online in GitHub}. Without debug, only the steps a
 * user follows are printed. Runner names and details (which carry cloud text: stop reasons, event
 * messages) are escaped so they can never start a workflow command. Thread-safe.
 */
public final class ProgressPrinter implements FleetListener {
  private static final Set<FleetPhase> QUIET = Set.of(FleetPhase.REGISTERED, FleetPhase.DEREGISTERED);

  private final PrintStream err;
  private final boolean debug;

  public ProgressPrinter(PrintStream err, boolean debug) {
    this.err = err;
    this.debug = debug;
  }

  @Override
  public void onEvent(FleetEvent event) {
    if (!debug && QUIET.contains(event.phase())) {
      return;
    }
    String line = String.format(Locale.ROOT, "[%6.1fs] %-24s %-12s %s", event.elapsed().toMillis() / 1000.0,
        WorkflowCommands.escapeText(event.runnerName()), event.phase(), WorkflowCommands.escapeText(event.detail()));
    synchronized (err) {
      err.println(line);
      err.flush();
    }
  }
}
