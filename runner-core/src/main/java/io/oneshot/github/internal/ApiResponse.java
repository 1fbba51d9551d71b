package io.oneshot.github.internal;

import java.net.http.HttpHeaders;
import java.util.Optional;

/** A GitHub answer: status, body text and headers. */
public record ApiResponse(int status, String body, HttpHeaders headers) {

  /** GitHub's request id. */
  public Optional<String> requestId() {
    return headers.firstValue("x-github-request-id");
  }

  /** Whether the status is 2xx. */
  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }
}
