package io.oneshot.fakes.github;

/**
 * What a runner reads out of an encoded JIT config issued by the {@link FakeGitHub}. Holds no secret
 * material. Immutable.
 *
 * @param runnerId the runner id ({@code AgentId})
 * @param runnerName the runner name ({@code AgentName})
 * @param scopeKey the fake's scope key, e.g. {@code repos/octo/app}
 * @param groupId the runner group ({@code PoolId})
 * @param workFolder the work folder
 */
public record DecodedJitConfig(long runnerId, String runnerName, String scopeKey, long groupId,
    String workFolder) {}
