package io.oneshot.fakes.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.fakes.TestClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake ARM on the wire: front door, validation, lifecycle answers and faults, over raw https. */
class FakeAciWireTest {
  private static final String OK_ENV = "[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"TOKEN\",\"secureValue\":\"s3cr3t\"}]";
  private final TestClock clock = TestClock.atEpochOfTests();
  private final FakeAci aci = FakeAci.builder().clock(clock).seed(5).listPageSize(2).build();
  private final ArmHttp arm = new ArmHttp(aci);

  FakeAciWireTest() {
    aci.addResourceGroup("rg", "eastus");
  }

  @AfterEach
  void close() {
    aci.close();
  }

  private static String group(String cpu, String memory) {
    return ArmHttp.group("alpine:3", cpu, memory, OK_ENV);
  }

  @Test
  void theFrontDoorWantsABearerTokenAndASupportedApiVersion() {
    String path = arm.groupPath("rg", "g1");

    assertThat(arm.send("GET", path + "?api-version=2023-05-01", null, null))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(401))
        .satisfies(r -> assertThat(r.body()).contains("\"code\":\"AuthenticationFailed\""));
    assertThat(arm.send("GET", path + "?api-version=2023-05-01", null, "Basic dTpw").body())
        .contains("AuthenticationFailedInvalidHeader");
    assertThat(arm.send("GET", path, null, "Bearer t").body()).contains("MissingApiVersionParameter")
        .contains("The api-version query parameter (?api-version=) is required for all requests.");
    assertThat(arm.send("GET", path + "?api-version=2030-01-01", null, "Bearer t").body())
        .contains("NoRegisteredProviderFound");
    assertThat(arm.get("elsewhere", "g1").body()).contains("ResourceGroupNotFound");
    assertThat(arm.send("GET", path.replace(aci.subscriptionId(), "11111111-1111-1111-1111-111111111111")
        + "?api-version=2023-05-01", null, "Bearer t").statusCode()).isEqualTo(404);
    assertThat(aci.rejectedRequests()).hasSize(6);
  }

  @Test
  void putIsValidatedAsAciValidatesIt() {
    List<String> answers = new ArrayList<>();
    answers.add(arm.put("rg", "x".repeat(64), group("1", "1")).body());
    answers.add(arm.put("rg", "Upper-Case", group("1", "1")).body());
    answers.add(arm.put("rg", "a--b", group("1", "1")).body());
    answers.add(arm.put("rg", "g1", group("0", "1")).body());
    answers.add(arm.put("rg", "g1", group("1", "1.55")).body());
    answers.add(arm.put("rg", "g1", ArmHttp.group(" ", "1", "1", "[]")).body());
    answers.add(arm.put("rg", "g1", group("1", "1").replace("\"image\":\"alpine:3\",", "")).body());
    answers.add(arm.put("rg", "g1", group("1", "1").replace(",\"osType\":\"Linux\"", "")).body());
    answers.add(arm.put("rg", "g1", group("1", "1").replace("Never", "Sometimes")).body());
    answers.add(arm.put("rg", "g1", group("1", "1").replace("\"memoryInGB\":1,", "")).body());
    answers.add(arm.put("rg", "g1", group("1", "1").replace("\"location\":\"eastus\",", "")).body());

    assertThat(answers).extracting(a -> a.replaceAll(".*\"code\":\"([^\"]+)\".*", "$1")).containsExactly(
        "InvalidContainerGroupName", "InvalidContainerGroupName", "InvalidContainerGroupName", "InvalidCpuRequirement",
        "InvalidMemoryRequirement", "InvalidImageName", "InvalidRequestContent", "InvalidOsType",
        "InvalidRequestContent", "ResourceSomeRequestsNotSpecified", "LocationRequired");
    HttpResponse<String> tooBig = arm.put("rg", "g1", group("5", "20"));
    assertThat(tooBig.statusCode()).isEqualTo(409);
    assertThat(tooBig.body()).contains("The requested resource with '5' CPU and '20' GB memory is not available in the"
        + " location 'eastus' at this moment.");
    assertThat(aci.groups()).isEmpty();
    assertThat(aci.rejectedRequests()).hasSize(12);
  }

  @Test
  void putAnswers201WithTheAsyncOperationAndGetNeverReturnsSecureValues() {
    HttpResponse<String> created = arm.put("rg", "g1", group("1", "1.5"));

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Azure-AsyncOperation")).get().asString()
        .startsWith(aci.endpoint() + "/subscriptions/" + aci.subscriptionId()
            + "/providers/Microsoft.ContainerInstance/locations/eastus/operations/")
        .endsWith("?api-version=2023-05-01");
    assertThat(created.headers().firstValue("Retry-After")).contains("1");
    assertThat(created.body()).contains("\"provisioningState\":\"Pending\"").doesNotContain("s3cr3t");
    String operation = created.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    assertThat(arm.send("GET", operation, null, "Bearer t").body()).contains("\"status\":\"InProgress\"");

    clock.advance(Duration.ofSeconds(10));
    String got = arm.get("rg", "g1").body();
    assertThat(got).contains("\"provisioningState\":\"Succeeded\"").contains("{\"name\":\"TOKEN\"}")
        .contains("{\"name\":\"A\",\"value\":\"1\"}").doesNotContain("s3cr3t").doesNotContain("secureValue")
        .contains("\"state\":\"Running\"");
    assertThat(arm.send("GET", operation, null, "Bearer t").body()).contains("\"status\":\"Succeeded\"");
    assertThat(arm.put("rg", "g1", group("1", "1.5")).statusCode()).as("the same PUT again").isEqualTo(200);
    assertThat(arm.put("rg", "g1", group("2", "1.5")).body()).contains("InvalidContainerGroupUpdate");
  }

  @Test
  void deleteAnswers202WithALocationThenTheGroupIsGone() {
    arm.put("rg", "g1", group("1", "1"));

    HttpResponse<String> accepted = arm.delete("rg", "g1");
    String location = accepted.headers().firstValue("Location").orElseThrow();

    assertThat(accepted.statusCode()).isEqualTo(202);
    assertThat(arm.get("rg", "g1").body()).contains("\"provisioningState\":\"Deleting\"");
    assertThat(arm.send("GET", location, null, "Bearer t").statusCode()).isEqualTo(202);
    assertThat(arm.delete("rg", "g1").headers().firstValue("Location")).as("a delete in progress").contains(location);
    assertThat(arm.put("rg", "g1", group("1", "1")).statusCode()).as("PUT while deleting").isEqualTo(409);
    clock.advance(Duration.ofSeconds(5));
    assertThat(arm.send("GET", location, null, "Bearer t").statusCode()).isEqualTo(204);
    assertThat(arm.get("rg", "g1").statusCode()).isEqualTo(404);
    assertThat(arm.get("rg", "g1").body()).contains("\"code\":\"ResourceNotFound\"");
    assertThat(arm.delete("rg", "g1").statusCode()).isEqualTo(204);
  }

  @Test
  void listPagesWithNextLinks() {
    for (int i = 0; i < 5; i++) {
      arm.put("rg", "g" + i, group("1", "1"));
    }
    List<String> names = new ArrayList<>();
    String next = arm.groupPath("rg", "").replaceAll("/$", "") + "?api-version=2023-05-01";
    int pages = 0;
    while (next != null) {
      String body = arm.send("GET", next, null, "Bearer t").body();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"name\":\"(g\\d)\"").matcher(body);
      while (m.find()) {
        names.add(m.group(1));
      }
      java.util.regex.Matcher link = java.util.regex.Pattern.compile("\"nextLink\":\"([^\"]+)\"").matcher(body);
      next = link.find() ? link.group(1) : null;
      pages++;
    }
    assertThat(names).containsExactly("g0", "g1", "g2", "g3", "g4");
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void throttlingCarriesRetryAfterAndRandomFaultsReplayFromTheSeed() {
    aci.faults().throttleNext(AciFaults.GET, 1).retryAfter(7);
    HttpResponse<String> throttled = arm.get("rg", "g1");
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).contains("7");
    assertThat(throttled.body()).contains("SubscriptionRequestsThrottled");

    assertThat(randomStatuses(9)).isEqualTo(randomStatuses(9)).contains(429, 503, 404);
  }

  private static List<Integer> randomStatuses(long seed) {
    try (FakeAci fake = FakeAci.builder().clock(TestClock.atEpochOfTests()).seed(seed).build()) {
      fake.addResourceGroup("rg", "eastus");
      fake.faults().randomly(0.5);
      ArmHttp http = new ArmHttp(fake);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        statuses.add(http.get("rg", "g1").statusCode());
      }
      return statuses;
    }
  }

  @Test
  void aResetAnswersNothingAndClosesTheConnection() {
    // The JDK client retries a GET once on a closed connection by itself: plan more resets than it tries.
    aci.faults().resetNext(AciFaults.GET, 5);

    assertThatThrownBy(() -> arm.get("rg", "g1")).hasRootCauseInstanceOf(java.io.IOException.class);
    aci.faults().reset();
    assertThat(arm.get("rg", "g1").statusCode()).isEqualTo(404);
    assertThat(aci.calls()).first().satisfies(c -> {
      assertThat(c.status()).isZero();
      assertThat(c.errorCode()).isEqualTo("ConnectionReset");
    });
  }

  @Test
  void userAssignedIdentitiesNeedAnIdentityTypeThatNamesThem() {
    String identity = "/subscriptions/" + aci.subscriptionId() + "/resourceGroups/ids/providers"
        + "/Microsoft.ManagedIdentity/userAssignedIdentities/puller";
    String withIdentity = group("1", "1").replace("{\"location\"", "{\"identity\":{\"type\":\"TYPE\","
        + "\"userAssignedIdentities\":{\"" + identity + "\":{}}},\"location\"");

    assertThat(arm.put("rg", "g1", withIdentity.replace("TYPE", "SystemAssigned")).body())
        .contains("\"code\":\"InvalidIdentity\"");
    assertThat(arm.put("rg", "g1", withIdentity.replace("TYPE", "Mine")).body())
        .contains("\"code\":\"InvalidRequestContent\"");
    assertThat(arm.put("rg", "g1", withIdentity.replace("TYPE", "UserAssigned")).statusCode()).isEqualTo(201);
    assertThat(aci.groups()).singleElement().satisfies(g -> assertThat(g.userAssignedIdentities())
        .containsExactly(identity));
  }
}
