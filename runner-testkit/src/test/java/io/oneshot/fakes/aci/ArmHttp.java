package io.oneshot.fakes.aci;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Raw ARM requests to a {@link FakeAci} over https with java.net.http, trusting only its certificate. */
final class ArmHttp {
  static final String API = "2023-05-01";
  private final FakeAci aci;
  private final HttpClient http;

  ArmHttp(FakeAci aci) {
    this.aci = aci;
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("fake-aci", aci.certificate());
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, factory.getTrustManagers(), null);
      http = HttpClient.newBuilder().sslContext(tls).build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  String groupPath(String resourceGroup, String name) {
    return "/subscriptions/" + aci.subscriptionId() + "/resourceGroups/" + resourceGroup
        + "/providers/Microsoft.ContainerInstance/containerGroups/" + name;
  }

  HttpResponse<String> send(String method, String pathAndQuery, String body, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pathAndQuery.startsWith("https://") ? pathAndQuery
        : aci.endpoint() + pathAndQuery));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> put(String resourceGroup, String name, String body) {
    return send("PUT", groupPath(resourceGroup, name) + "?api-version=" + API, body, "Bearer t");
  }

  HttpResponse<String> get(String resourceGroup, String name) {
    return send("GET", groupPath(resourceGroup, name) + "?api-version=" + API, null, "Bearer t");
  }

  HttpResponse<String> delete(String resourceGroup, String name) {
    return send("DELETE", groupPath(resourceGroup, name) + "?api-version=" + API, null, "Bearer t");
  }

  /** A runner group body: one container, the given cpu, memory and environment JSON. */
  static String group(String image, String cpu, String memory, String environment) {
    return "{\"location\":\"eastus\",\"tags\":{\"oneshot-owner\":\"team\"},\"properties\":{\"containers\":[{\"name\":"
        + "\"runner\",\"properties\":{\"image\":\"" + image + "\",\"resources\":{\"requests\":{\"memoryInGB\":" + memory
        + ",\"cpu\":" + cpu + "}},\"environmentVariables\":" + environment + "}}],\"osType\":\"Linux\","
        + "\"restartPolicy\":\"Never\"}}";
  }
}
