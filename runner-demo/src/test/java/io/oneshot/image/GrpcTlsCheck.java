package io.oneshot.image;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLEngine;

/**
 * Run by {@link RuntimeImageIT} on the linked runtime with the shaded jar, which carries no netty-tcnative
 * library: gRPC's TLS client context (what the Cloud Run client's channel uses) must then come from the JDK's
 * provider and still offer h2 by ALPN, or gRPC over TLS would fail at the first call. Prints the provider and
 * protocols; exits 1 if either is wrong. (The fake Cloud Run speaks plaintext, so the sandbox run cannot show it.)
 */
public final class GrpcTlsCheck {
  private GrpcTlsCheck() {}

  public static void main(String[] args) throws Exception {
    SslContext context = GrpcSslContexts.forClient().build();
    SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT, "run.googleapis.com", 443);
    engine.beginHandshake();
    boolean jdk = SslContext.defaultClientProvider() == SslProvider.JDK && !OpenSsl.isAvailable();
    boolean h2 = context.applicationProtocolNegotiator().protocols().contains("h2");
    System.out.println("grpc tls: provider " + SslContext.defaultClientProvider() + ", openssl available "
        + OpenSsl.isAvailable() + ", alpn " + context.applicationProtocolNegotiator().protocols() + ", engine "
        + engine.getClass().getName());
    System.exit(jdk && h2 ? 0 : 1);
  }
}
