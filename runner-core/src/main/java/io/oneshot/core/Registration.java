package io.oneshot.core;

import io.oneshot.spi.RunnerCredential;
import java.util.List;
import java.util.OptionalLong;

/**
 * A runner registered (JIT) or about to register itself (token mode), with the credential its
 * container gets, and the labels it was registered with (the batch's, then its created label). {@code toString()} hides the credential (see {@link RunnerCredential}).
 */
record Registration(String runnerName, OptionalLong githubRunnerId, RunnerCredential credential,
    List<String> labels) {
  Registration {
    labels = List.copyOf(labels);
  }
}
