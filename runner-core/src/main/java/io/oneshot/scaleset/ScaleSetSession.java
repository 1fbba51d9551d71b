package io.oneshot.scaleset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.oneshot.github.internal.Json;
import io.oneshot.scaleset.internal.ActionsServiceHttp;
import io.oneshot.scaleset.internal.Jwts;
import io.oneshot.scaleset.internal.Wire;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A live message session on one scale set, made by {@link ScaleSetClient#createSession}. Only one session
 * per scale set exists at a time; whoever holds it receives the job messages. The queue calls
 * ({@link #getMessage}, {@link #deleteMessage}, {@link #acquireJobs}) use the session's message-queue
 * token; on a 401 the session is refreshed once and the call repeated once. {@link #close()} deletes the
 * session. Thread-safe; every method blocks for its HTTP calls. {@code toString()} shows no token.
 */
public final class ScaleSetSession implements AutoCloseable {
  /** The parts of the session answer the client keeps; the token never leaves this class. */
  record State(String sessionId, String ownerName, URI queueUrl, String queueToken, ScaleSetStatistics statistics,
      Optional<Instant> queueTokenExpiry) {
    /** The state of a session answer; the queue token's expiry is read from its JWT {@code exp} once, here. */
    State(String sessionId, String ownerName, URI queueUrl, String queueToken, ScaleSetStatistics statistics) {
      this(sessionId, ownerName, queueUrl, queueToken, statistics, Jwts.expiry(queueToken));
    }

    @Override
    public String toString() {
      return "State[sessionId=" + sessionId + ", ownerName=" + ownerName + ", queueUrl=" + queueUrl + "]";
    }
  }

  private final ScaleSetClient client;
  private final long scaleSetId;
  private volatile State state;
  private volatile boolean closed;

  ScaleSetSession(ScaleSetClient client, long scaleSetId, State state) {
    this.client = client;
    this.scaleSetId = scaleSetId;
    this.state = state;
  }

  /** The scale set this session listens on. */
  public long scaleSetId() {
    return scaleSetId;
  }

  /** The service's session id. */
  public String sessionId() {
    return state.sessionId();
  }

  /** The owner name the session was created with. */
  public String ownerName() {
    return state.ownerName();
  }

  /**
   * The statistics the session was created (or last refreshed) with: the scaling input before the
   * first message, e.g. a backlog assigned while nobody listened.
   */
  public ScaleSetStatistics statistics() {
    return state.statistics();
  }

  /**
   * Long-polls the queue for the next message after {@code lastMessageId} (0 = from the first
   * unacknowledged one). Returns at once when one is queued; otherwise the service holds the request
   * (about 50 s) and answers "no message" (202/204; a 200 with an empty body is read the same way).
   * Unacknowledged messages are delivered again. Idempotent. Blocks up to the client's poll timeout.
   *
   * @param maxCapacity how many runners this listener can still run (sent as {@code X-ScaleSetMaxCapacity})
   */
  public Optional<ScaleSetMessage> getMessage(long lastMessageId, int maxCapacity) {
    if (maxCapacity < 0) {
      throw new IllegalArgumentException("maxCapacity must not be negative");
    }
    ActionsServiceHttp.Answer answer = withQueueToken(current -> client.http().send(new ActionsServiceHttp.Call(
        "GET", ScaleSetClient.withQuery(current.queueUrl(), lastMessageId > 0 ? "lastMessageId=" + lastMessageId
        : null), Optional.empty(), "get-message", ActionsServiceHttp.headers(
        "Accept", "application/json; api-version=" + ScaleSetClient.API_VERSION,
        "X-ScaleSetMaxCapacity", Integer.toString(maxCapacity)), client.pollTimeout(),
        java.util.Set.of(401)), () -> "Bearer " + current.queueToken()));
    if (answer.status() == 202 || answer.status() == 204 || answer.body().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(Wire.message(Wire.parse(answer.body(), answer.status(), "get-message"), answer.status()));
  }

  /** Acknowledges (deletes) a message so it is not delivered again. Idempotent in effect. Blocks. */
  public void deleteMessage(long messageId) {
    withQueueToken(current -> client.http().send(new ActionsServiceHttp.Call("DELETE",
        appendPath(current.queueUrl(), Long.toString(messageId)), Optional.empty(), "delete-message",
        ActionsServiceHttp.headers(), client.requestTimeout(), java.util.Set.of(401)),
        () -> "Bearer " + current.queueToken()));
  }

  /**
   * Acquires the jobs of {@code JobAvailable} messages, by runner request id; returns the ids the service
   * actually gave this scale set (others went elsewhere or were cancelled). Safe to repeat. Blocks.
   */
  public List<Long> acquireJobs(List<Long> runnerRequestIds) {
    if (runnerRequestIds.isEmpty()) {
      return List.of();
    }
    ArrayNode body = Json.MAPPER.createArrayNode();
    runnerRequestIds.forEach(body::add);
    ActionsServiceHttp.Answer answer = withQueueToken(current -> client.http().send(new ActionsServiceHttp.Call(
        "POST", client.adminUri(client.admin().current().grant().url(), ScaleSetClient.SCALE_SETS + "/" + scaleSetId
        + "/acquirejobs"), Optional.of(Json.write(body)), "acquire-jobs", ActionsServiceHttp.headers(),
        client.requestTimeout(), java.util.Set.of(401)), () -> "Bearer " + current.queueToken()));
    List<Long> acquired = new ArrayList<>();
    JsonNode json = Wire.parse(answer.body(), answer.status(), "acquire-jobs");
    json.path("value").forEach(id -> acquired.add(id.asLong()));
    return List.copyOf(acquired);
  }

  /** When the message-queue token expires, when it says so (its JWT {@code exp}). Does not block. */
  public Optional<Instant> queueTokenExpiry() {
    return state.queueTokenExpiry();
  }

  /**
   * Renews the message-queue token when it expires within {@code margin} on the client's clock, so that a long
   * poll never starts with a token that dies during it; a token with no readable expiry is left to the 401
   * path. Returns whether it renewed. Blocks for the {@code PATCH} when it does; idempotent for a fresh token.
   *
   * @throws ScaleSetException of kind {@link ScaleSetException.Kind#SESSION_NOT_FOUND} as {@link #refresh()}
   */
  public boolean refreshIfExpiringWithin(Duration margin) {
    Optional<Instant> expiry = queueTokenExpiry();
    if (expiry.isEmpty() || client.clock().instant().plus(margin).isBefore(expiry.get())) {
      return false;
    }
    refresh();
    return true;
  }

  /**
   * Renews the message-queue token ({@code PATCH} on the session). Blocks.
   *
   * @throws ScaleSetException of kind {@link ScaleSetException.Kind#SESSION_NOT_FOUND} when the service
   *     evicted the session: create a new one
   */
  public void refresh() {
    JsonNode json = client.sendAdmin("PATCH", ScaleSetClient.SCALE_SETS + "/" + scaleSetId + "/sessions/"
        + state.sessionId(), Optional.empty(), "refresh-session");
    state = client.sessionState(json);
  }

  /** Deletes the session (404 counts as done) so another listener can take over. Idempotent. Blocks. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    client.sendAdmin("DELETE", ScaleSetClient.SCALE_SETS + "/" + scaleSetId + "/sessions/" + state.sessionId(),
        Optional.empty(), "delete-session", 404);
    closed = true;
  }

  private ActionsServiceHttp.Answer withQueueToken(Function<State, ActionsServiceHttp.Answer> call) {
    ActionsServiceHttp.Answer answer = call.apply(state);
    if (answer.status() != 401) {
      return answer;
    }
    refresh();
    answer = call.apply(state);
    if (answer.status() == 401) {
      throw new ScaleSetException("Actions service refused the message-queue token of session " + sessionId()
          + " even after refreshing it", 401, ScaleSetException.Kind.UNAUTHORIZED, Optional.empty(),
          answer.headers().firstValue("ActivityId"), true, null);
    }
    return answer;
  }

  private static URI appendPath(URI base, String segment) {
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + "/" + segment
        + (base.getRawQuery() == null ? "" : "?" + base.getRawQuery()));
  }

  @Override
  public String toString() {
    return "ScaleSetSession[scaleSetId=" + scaleSetId + ", " + state + (closed ? ", closed" : "") + "]";
  }
}
