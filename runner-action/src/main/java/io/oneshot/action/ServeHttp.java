package io.oneshot.action;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The HTTP endpoint of {@code oneshot serve}: {@code GET /healthz} answers 200 {@code ok} while the loop
 * completes steps (leader or standby) and 503 once it has not for {@link #STALE}; {@code GET /metrics}
 * answers the Prometheus text exposition. Serves on one daemon thread; {@link #close()} stops it
 * (idempotent).
 */
public final class ServeHttp implements AutoCloseable {
  /** How long without a completed step before {@code /healthz} says unhealthy. */
  public static final Duration STALE = Duration.ofMinutes(3);

  private final HttpServer server;

  private ServeHttp(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving on {@code port} (all interfaces; 0 picks a free port, for tests). Blocks for the bind.
   *
   * @param lastStep when the loop last completed a step
   * @param scrape the metrics in Prometheus text format
   */
  public static ServeHttp start(int port, Clock clock, Supplier<Optional<Instant>> lastStep,
      Supplier<String> scrape) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
    server.setExecutor(Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "oneshot-serve-http");
      thread.setDaemon(true);
      return thread;
    }));
    server.createContext("/healthz", exchange -> {
      boolean healthy = lastStep.get().map(at -> clock.instant().isBefore(at.plus(STALE))).orElse(false);
      answer(exchange, healthy ? 200 : 503, healthy ? "ok\n" : "the serve loop has not completed a step for "
          + STALE.toMinutes() + " minutes\n", "text/plain; charset=utf-8");
    });
    server.createContext("/metrics", exchange -> answer(exchange, 200, scrape.get(),
        "text/plain; version=0.0.4; charset=utf-8"));
    server.start();
    return new ServeHttp(server);
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int status, String body, String type) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
