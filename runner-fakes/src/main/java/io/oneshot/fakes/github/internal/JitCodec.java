package io.oneshot.fakes.github.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oneshot.fakes.github.DecodedJitConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Builds and reads encoded JIT configs shaped like GitHub's: base64 of a JSON object whose members
 * {@code .runner}, {@code .credentials} and {@code .credentials_rsaparams} are each base64 of JSON.
 * The fake adds {@code ScopeKey} to {@code .runner}. Stateless, thread-safe.
 */
public final class JitCodec {
  /**
   * An encoded config and the secret values inside it.
   *
   * @param encoded the {@code encoded_jit_config} value
   * @param secretParts the base64 credential parts and the random values in them
   */
  public record Encoded(String encoded, List<String> secretParts) {
    @Override
    public String toString() {
      return "Encoded[***]";
    }
  }

  private JitCodec() {}

  /** Encodes a new config with fresh random credential material from {@code secrets}. */
  public static Encoded encode(long runnerId, String runnerName, String scopeKey, long groupId,
      String groupName, String workFolder, String serverUrl, String gitHubUrl, Secrets secrets) {
    String pipelines = serverUrl + "/_services/pipelines/" + secrets.uuid().replace("-", "");
    ObjectNode runner = Json.object();
    runner.put("AgentId", Long.toString(runnerId));
    runner.put("AgentName", runnerName);
    runner.put("DisableUpdate", "False");
    runner.put("Ephemeral", "True");
    runner.put("PoolId", Long.toString(groupId));
    runner.put("PoolName", groupName);
    runner.put("ServerUrl", pipelines);
    runner.put("GitHubUrl", gitHubUrl);
    runner.put("WorkFolder", workFolder);
    runner.put("UseV2Flow", "True");
    runner.put("ScopeKey", scopeKey);

    String clientId = secrets.uuid();
    ObjectNode credentials = Json.object();
    credentials.put("Scheme", "OAuth");
    ObjectNode data = credentials.putObject("Data");
    data.put("ClientId", clientId);
    data.put("AuthorizationUrl", pipelines + "/_apis/oauth2/token");
    data.put("RequireFipsCryptography", "False");

    String d = secrets.base64(256);
    String dp = secrets.base64(128);
    String dq = secrets.base64(128);
    String inverseQ = secrets.base64(128);
    String p = secrets.base64(128);
    String q = secrets.base64(128);
    ObjectNode rsa = Json.object();
    rsa.put("d", d);
    rsa.put("dp", dp);
    rsa.put("dq", dq);
    rsa.put("exponent", "AQAB");
    rsa.put("inverseQ", inverseQ);
    rsa.put("modulus", secrets.base64(256));
    rsa.put("p", p);
    rsa.put("q", q);

    String credentialsPart = b64(Json.string(credentials));
    String rsaPart = b64(Json.string(rsa));
    ObjectNode outer = Json.object();
    outer.put(".runner", b64(Json.string(runner)));
    outer.put(".credentials", credentialsPart);
    outer.put(".credentials_rsaparams", rsaPart);
    String encoded = b64(Json.string(outer));
    return new Encoded(encoded,
        List.of(encoded, credentialsPart, rsaPart, clientId, d, dp, dq, inverseQ, p, q));
  }

  /** Reads the {@code .runner} part. */
  public static DecodedJitConfig decode(String encoded) {
    try {
      JsonNode outer = Json.parse(unb64(encoded));
      JsonNode runner = Json.parse(unb64(outer.path(".runner").asText()));
      return new DecodedJitConfig(
          Long.parseLong(runner.path("AgentId").asText()),
          runner.path("AgentName").asText(),
          runner.path("ScopeKey").asText(),
          Long.parseLong(runner.path("PoolId").asText()),
          runner.path("WorkFolder").asText());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not an encoded JIT config issued by the fake GitHub");
    }
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String unb64(String text) {
    return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
  }
}
