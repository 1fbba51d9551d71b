package io.oneshot.fakes.cloudrun;

/**
 * One call a {@link FakeCloudRun} answered: the RPC's bare name ({@code RunJob}, {@code GetExecution},
 * {@code GetOperation}, ...), the {@code x-goog-request-params} routing header the client sent (empty when
 * absent), the gRPC status code name ({@code OK}, {@code NOT_FOUND}, ...) and whether the answer was an
 * injected fault. Requests are not kept: they may hold secrets. An immutable value.
 */
public record CloudRunCall(String method, String routingHeader, String status, boolean injected) {}
