package io.oneshot.core;

import io.oneshot.spi.RunnerCredential;
import java.util.OptionalLong;

/**
 * A runner registered (JIT) or about to register itself (token mode), with the credential its
 * container gets. {@code toString()} hides the credential (see {@link RunnerCredential}).
 */
record Registration(String runnerName, OptionalLong githubRunnerId, RunnerCredential credential) {}
