package io.oneshot.fakes.github;

/**
 * How a {@link SimulatedRunner} behaves once its boot delay has passed. Immutable values.
 */
public sealed interface RunnerBehaviour {
  /** Connects to GitHub and waits for a job. */
  RunnerBehaviour NORMAL = new Normal();
  /** Keeps running but never connects (a hung container, a wrong URL, no network). */
  RunnerBehaviour NEVER_ONLINE = new NeverOnline();

  /** The process exits with {@code exitCode} while booting, before it connects. */
  static RunnerBehaviour crashOnBoot(int exitCode) {
    return new CrashOnBoot(exitCode);
  }

  /** See {@link #NORMAL}. */
  record Normal() implements RunnerBehaviour {}

  /** See {@link #NEVER_ONLINE}. */
  record NeverOnline() implements RunnerBehaviour {}

  /** See {@link #crashOnBoot(int)}. */
  record CrashOnBoot(int exitCode) implements RunnerBehaviour {}
}
