package io.oneshot.fakes.internal;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The JDK HTTP(S) server a fake listens with: bound to 127.0.0.1 on a random port, answering on daemon
 * threads named after the fake, with TCP_NODELAY. Bind first (the fake may need its origin to build its
 * handler), then {@link #start}. Thread-safe once started; {@link #close()} is idempotent.
 */
public final class LoopbackServer implements AutoCloseable {
  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm and
    // delayed ACKs add about 40 ms to each answer. Read once, when the first server starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final String name;
  private final HttpServer server;
  private final URI origin;
  private ExecutorService executor;

  private LoopbackServer(String name, HttpServer server, String scheme) {
    this.name = name;
    this.server = server;
    this.origin = URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Binds a server for the fake called {@code name}: plain http, or https with {@code tls}.
   *
   * @throws UncheckedIOException when no loopback port can be bound
   */
  public static LoopbackServer bind(String name, Optional<SSLContext> tls) {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    try {
      if (tls.isPresent()) {
        HttpsServer https = HttpsServer.create(address, 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls.get()));
        return new LoopbackServer(name, https, "https");
      }
      return new LoopbackServer(name, HttpServer.create(address, 0), "http");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake " + name, e);
    }
  }

  /** {@code http(s)://127.0.0.1:PORT}, without a trailing slash. */
  public URI origin() {
    return origin;
  }

  /** Serves every path with {@code handler}. Call once. */
  public void start(HttpHandler handler) {
    server.createContext("/", handler);
    AtomicInteger threads = new AtomicInteger();
    String prefix = "fake-" + name.toLowerCase(java.util.Locale.ROOT).replace(' ', '-') + "-";
    executor = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, prefix + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.start();
  }

  /** Stops the server; exchanges in flight are dropped. */
  @Override
  public void close() {
    server.stop(0);
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  /** Delays an answer by a fault's latency (a real delay: keep it to milliseconds in tests). */
  public static void pause(Duration latency) {
    if (latency.isZero() || latency.isNegative()) {
      return;
    }
    try {
      Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
