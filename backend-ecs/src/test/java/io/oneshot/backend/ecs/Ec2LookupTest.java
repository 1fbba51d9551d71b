package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.fakes.ecs.FakeEcs;
import io.oneshot.spi.FailureKind;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/** The launcher's own EC2 query calls against the fake EC2, which checks them as EC2 would. */
class Ec2LookupTest {
  private final FakeEcs ec2 = FakeEcs.builder().build();
  private final SdkHttpClient http = UrlConnectionHttpClient.create();
  private final Ec2Lookup lookup = new Ec2Lookup(http, ec2.endpoint(), "us-east-1",
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOOKUP", "lookup-secret")),
      EcsFixture.FAST_RETRIES);

  @AfterEach
  void close() {
    try (ec2) {
      http.close();
    }
  }

  @Test
  void findsTaggedSubnetsAndGroupsWithTheirVpcAndNothingElse() {
    ec2.addSubnet("subnet-1", "vpc-a", "us-east-1a", Map.of("team", "ci runners: blue&green"));
    ec2.addSubnet("subnet-2", "vpc-a", "us-east-1b", Map.of("team", "ci runners: blue&green", "other", "x"));
    ec2.addSubnet("subnet-3", "vpc-b", "us-east-1a", Map.of("team", "ci runners"));
    ec2.addSecurityGroup("sg-1", "runners", "vpc-a", Map.of("team", "ci runners: blue&green"));
    ec2.addSecurityGroup("sg-2", "default", "vpc-a", Map.of());

    TagFilter tag = new TagFilter("team", "ci runners: blue&green");
    assertThat(lookup.subnets(tag)).containsExactly(new Ec2Lookup.Resource("subnet-1", "vpc-a"),
        new Ec2Lookup.Resource("subnet-2", "vpc-a"));
    assertThat(lookup.securityGroups(tag)).containsExactly(new Ec2Lookup.Resource("sg-1", "vpc-a"));
    assertThat(lookup.subnets(new TagFilter("team", "nobody"))).isEmpty();
    assertThat(ec2.rejectedRequests()).isEmpty();
    assertThat(ec2.requestBodies("DescribeSubnets").get(0)).contains("Version=" + Ec2Lookup.API_VERSION);
  }

  @Test
  void throttlingIsRetriedWithTheRetryStrategy() {
    ec2.addSubnet("subnet-1", "vpc-a", "us-east-1a", Map.of("k", "v"));
    ec2.faults().throttleNext("DescribeSubnets", 2);

    assertThat(lookup.subnets(new TagFilter("k", "v"))).hasSize(1);
    assertThat(ec2.callCount("DescribeSubnets")).isEqualTo(3);
  }

  @Test
  void errorsAreTheSdksExceptionsWithEc2sCodes() {
    ec2.faults().accessDeniedNext("DescribeSecurityGroups", 1);
    assertThatThrownBy(() -> lookup.securityGroups(new TagFilter("k", "v")))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> {
          assertThat(EcsErrors.code(e)).isEqualTo("UnauthorizedOperation");
          assertThat(e.statusCode()).isEqualTo(403);
          assertThat(EcsErrors.kind(e)).isEqualTo(FailureKind.PERMISSION);
          assertThat(e.awsErrorDetails().errorMessage()).contains("ec2:DescribeSecurityGroups");
        });

    ec2.faults().serverErrorNext("DescribeSubnets", 10);
    assertThatThrownBy(() -> lookup.subnets(new TagFilter("k", "v")))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(EcsErrors.retryable(e)).isTrue());
    ec2.faults().reset();

    ec2.faults().resetNext("DescribeSubnets", 10);
    assertThatThrownBy(() -> lookup.subnets(new TagFilter("k", "v")))
        .isInstanceOfSatisfying(SdkClientException.class, e -> assertThat(EcsErrors.isTransport(e)).isTrue());
  }

  @Test
  void noCredentialsIsAClientErrorThatIsNotRetried() {
    Ec2Lookup anonymous = new Ec2Lookup(http, ec2.endpoint(), "us-east-1", (AwsCredentialsProvider) () -> {
      throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
    }, EcsFixture.FAST_RETRIES);
    assertThatThrownBy(() -> anonymous.subnets(new TagFilter("k", "v"))).isInstanceOf(SdkException.class)
        .hasMessageContaining("Unable to load credentials");
    assertThat(ec2.callCount("DescribeSubnets")).isZero();
  }
}
