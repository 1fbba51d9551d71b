package io.oneshot.backend.ecs;

import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The JDK-based SDK HTTP client ({@code url-connection-client}) of the ECS clients the launcher builder creates,
 * refusing calls once closed with an {@link IllegalStateException}, as the Apache client did: the JDK client's own
 * {@code close()} does nothing, so a launcher used after {@code close()} would otherwise go on calling AWS.
 * Thread-safe.
 */
final class ClosingHttpClient implements SdkHttpClient {
  private final SdkHttpClient delegate;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ClosingHttpClient(SdkHttpClient delegate) {
    this.delegate = delegate;
  }

  /** A builder for {@code httpClientBuilder(...)}: the SDK builds it with its defaults and closes it with the client. */
  static SdkHttpClient.Builder<?> builder() {
    return new Builder();
  }

  private static final class Builder implements SdkHttpClient.Builder<Builder> {
    @Override
    public SdkHttpClient buildWithDefaults(AttributeMap defaults) {
      return new ClosingHttpClient(UrlConnectionHttpClient.builder().buildWithDefaults(defaults));
    }
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    if (closed.get()) {
      throw new IllegalStateException("the launcher's AWS HTTP client is closed");
    }
    return delegate.prepareRequest(request);
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      delegate.close();
    }
  }
}
