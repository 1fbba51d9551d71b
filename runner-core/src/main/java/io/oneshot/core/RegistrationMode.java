package io.oneshot.core;

/** How runners join GitHub. */
public enum RegistrationMode {
  /** One single-use JIT config per container, minted outside it (the default, and the safe one). */
  JIT,
  /** A registration token the runner image passes to {@code config.sh}: for images that register themselves. */
  TOKEN
}
