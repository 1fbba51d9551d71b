package io.oneshot.fakes.aci;

/**
 * One request a {@link FakeAci} answered.
 *
 * @param operation the ARM operation, for example {@code ContainerGroups_CreateOrUpdate} or {@code AsyncOperation}
 * @param method the HTTP method
 * @param status the HTTP status answered
 * @param errorCode the ARM error code, empty on success
 * @param apiVersion the {@code api-version} the request carried, empty when it had none
 */
public record AciCall(String operation, String method, int status, String errorCode, String apiVersion) {}
