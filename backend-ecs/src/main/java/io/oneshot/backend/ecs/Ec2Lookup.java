package io.oneshot.backend.ecs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceMetadata;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * EC2 DescribeSubnets and DescribeSecurityGroups with a tag filter, over EC2's query protocol, signed with the
 * SDK's SigV4 signer and sent with any {@link SdkHttpClient}; retried with the SDK's {@link RetryStrategy}.
 *
 * <p>Why not the SDK's {@code Ec2Client}: its module is 23 MB compressed in the action jar (the generated model of
 * every EC2 operation) for these two read-only calls, the largest single item in the image (issue 11). The
 * Resource Groups Tagging API client was the other light option, but its module is not served at the SDK's version
 * here, it needs a new IAM permission ({@code tag:GetResources}) from every existing deployment, and its answer
 * has no VPC id; this keeps the IAM policy and the calls exactly as they were. Failures surface as the SDK's own
 * exceptions ({@link AwsServiceException} with EC2's error code, {@link SdkClientException} for no answer), so
 * {@link EcsErrors} classifies them as before. Thread-safe if the HTTP client is; blocks for each call.
 */
final class Ec2Lookup {
  /** The EC2 API version the query protocol names (the one the SDK's EC2 client sends). */
  static final String API_VERSION = "2016-11-15";
  private static final int MAX_PAGES = 100;

  /** One subnet or security group: its id and VPC. */
  record Resource(String id, String vpcId) {}

  private final SdkHttpClient http;
  private final URI endpoint;
  private final String region;
  private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
  private final RetryStrategy retries;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  Ec2Lookup(SdkHttpClient http, URI endpoint, String region,
      IdentityProvider<? extends AwsCredentialsIdentity> credentials, RetryStrategy retries) {
    this.http = http;
    this.endpoint = endpoint;
    this.region = region;
    this.credentials = credentials;
    this.retries = retries;
  }

  /**
   * The EC2 endpoint when none is configured: {@code AWS_ENDPOINT_URL_EC2}, then {@code AWS_ENDPOINT_URL} (as the
   * SDK reads them), then the region's public EC2 endpoint from the SDK's region metadata (partition-aware).
   */
  static URI defaultEndpoint(String region) {
    for (String variable : List.of("AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL")) {
      String value = System.getenv(variable);
      if (value != null && !value.isBlank()) {
        return URI.create(value.trim());
      }
    }
    return URI.create("https://" + ServiceMetadata.of("ec2").endpointFor(Region.of(region)).toString());
  }

  /** Subnets whose tag {@code key} has {@code value}, all pages. */
  List<Resource> subnets(TagFilter tag) {
    return describe("DescribeSubnets", "subnetSet", "subnetId", tag);
  }

  /** Security groups whose tag {@code key} has {@code value}, all pages. */
  List<Resource> securityGroups(TagFilter tag) {
    return describe("DescribeSecurityGroups", "securityGroupInfo", "groupId", tag);
  }

  private List<Resource> describe(String action, String setElement, String idElement, TagFilter tag) {
    List<Resource> found = new ArrayList<>();
    Optional<String> nextToken = Optional.empty();
    for (int page = 0; page < MAX_PAGES; page++) {
      StringBuilder body = new StringBuilder("Action=").append(action).append("&Version=").append(API_VERSION)
          .append("&Filter.1.Name=").append(encode("tag:" + tag.key())).append("&Filter.1.Value.1=")
          .append(encode(tag.value()));
      nextToken.ifPresent(token -> body.append("&NextToken=").append(encode(token)));
      Document answer = withRetries(() -> call(action, body.toString()));
      Element root = answer.getDocumentElement();
      child(root, setElement).ifPresent(set -> {
        for (Element item : children(set, "item")) {
          found.add(new Resource(text(item, idElement).orElse(""), text(item, "vpcId").orElse("")));
        }
      });
      nextToken = text(root, "nextToken").filter(token -> !token.isEmpty());
      if (nextToken.isEmpty()) {
        return found;
      }
    }
    throw SdkClientException.create(action + " returned more than " + MAX_PAGES + " pages");
  }

  private interface Attempt {
    Document run();
  }

  /** One call under the retry strategy, as the SDK's clients run theirs. */
  private Document withRetries(Attempt attempt) {
    AcquireInitialTokenResponse initial = retries.acquireInitialToken(AcquireInitialTokenRequest.create("ec2"));
    RetryToken token = initial.token();
    sleep(initial.delay());
    while (true) {
      try {
        Document result = attempt.run();
        retries.recordSuccess(RecordSuccessRequest.create(token));
        return result;
      } catch (SdkException e) {
        try {
          var refreshed = retries.refreshRetryToken(RefreshRetryTokenRequest.builder().token(token).failure(e).build());
          token = refreshed.token();
          sleep(refreshed.delay());
        } catch (TokenAcquisitionFailedException exhausted) {
          throw e;
        }
      }
    }
  }

  private Document call(String action, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
        .encodedPath(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath())
        .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        .putHeader("Content-Length", Integer.toString(bytes.length))
        .putHeader("User-Agent", "oneshot-ecs")
        .build();
    AwsCredentialsIdentity identity;
    try {
      identity = credentials.resolveIdentity().join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw cause instanceof SdkException sdk ? sdk
          : SdkClientException.builder().message("no AWS credentials: " + cause.getMessage()).cause(cause).build();
    }
    SignedRequest signed = signer.sign(r -> r.identity(identity).request(request)
        .payload(ContentStreamProvider.fromByteArray(bytes))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ec2")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    HttpExecuteResponse response;
    byte[] answer;
    try {
      response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
          .contentStreamProvider(signed.payload().orElse(null)).build()).call();
      try (InputStream in = response.responseBody().map(InputStream.class::cast)
          .orElseGet(() -> new ByteArrayInputStream(new byte[0]))) {
        answer = in.readAllBytes();
      }
    } catch (IOException | UncheckedIOException e) {
      throw SdkClientException.builder().message("Unable to execute HTTP request: " + e.getMessage()).cause(e).build();
    }
    int status = response.httpResponse().statusCode();
    String requestId = response.httpResponse().firstMatchingHeader("x-amzn-RequestId").orElse(null);
    Document document;
    try {
      document = parse(answer);
    } catch (SAXException | IOException e) {
      if (status >= 300) {
        throw AwsServiceException.builder().statusCode(status).requestId(requestId)
            .message("HTTP " + status + " with no EC2 error body")
            .awsErrorDetails(AwsErrorDetails.builder().serviceName("Ec2").errorCode(status >= 500 ? "InternalError"
                : "HTTP" + status).sdkHttpResponse(response.httpResponse()).build()).build();
      }
      throw SdkClientException.builder().message(action + " answered with XML that does not parse").cause(e).build();
    }
    if (status >= 300) {
      Element error = child(document.getDocumentElement(), "Errors").flatMap(errors -> child(errors, "Error"))
          .orElse(document.getDocumentElement());
      String code = text(error, "Code").orElse(status >= 500 ? "InternalError" : "HTTP" + status);
      String message = text(error, "Message").orElse(null);
      throw AwsServiceException.builder().statusCode(status).message(message)
          .requestId(text(document.getDocumentElement(), "RequestID").orElse(requestId))
          .awsErrorDetails(AwsErrorDetails.builder().serviceName("Ec2").errorCode(code).errorMessage(message)
              .sdkHttpResponse(response.httpResponse()).build()).build();
    }
    return document;
  }

  private static Document parse(byte[] xml) throws SAXException, IOException {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
      factory.setNamespaceAware(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      return builder.parse(new ByteArrayInputStream(xml));
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().equals(name)) {
        out.add(element);
      }
    }
    return out;
  }

  private static Optional<Element> child(Element parent, String name) {
    return children(parent, name).stream().findFirst();
  }

  private static Optional<String> text(Element parent, String name) {
    return child(parent, name).map(Element::getTextContent).map(String::trim);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
        .replace("%7E", "~");
  }

  private static void sleep(Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SdkClientException.builder().message("interrupted while backing off").cause(e).build();
    }
  }
}
