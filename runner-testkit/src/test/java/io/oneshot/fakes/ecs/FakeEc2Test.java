package io.oneshot.fakes.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;

class FakeEc2Test {
  private final EcsFixture fx = new EcsFixture();
  private final Ec2Client ec2 = fx.ec2NoRetry();

  @BeforeEach
  void moreNetwork() {
    for (int i = 0; i < 6; i++) {
      fx.ecs.addSubnet("subnet-extra" + i, i % 2 == 0 ? "vpc-0123" : "vpc-9999", "us-east-1c",
          i < 4 ? Map.of("gh-runners", "true", "Name", "extra" + i) : Map.of("Name", "extra" + i));
    }
    fx.ecs.addSecurityGroup("sg-456", "other", "vpc-9999", Map.of());
  }

  @AfterEach
  void close() {
    ec2.close();
    fx.close();
  }

  private static Filter filter(String name, String... values) {
    return Filter.builder().name(name).values(values).build();
  }

  @Test
  void describeSubnetsFiltersByTagAndVpcAndPages() {
    List<Subnet> found = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String next = token;
      DescribeSubnetsResponse page = ec2.describeSubnets(b -> b.filters(filter("tag:gh-runners", "true"))
          .maxResults(5).nextToken(next));
      found.addAll(page.subnets());
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(2);
    assertThat(found).extracting(Subnet::subnetId).containsExactly("subnet-aaa", "subnet-bbb", "subnet-extra0",
        "subnet-extra1", "subnet-extra2", "subnet-extra3");

    Subnet first = found.get(0);
    assertThat(first.vpcId()).isEqualTo("vpc-0123");
    assertThat(first.availabilityZone()).isEqualTo("us-east-1a");
    assertThat(first.availabilityZoneId()).isEqualTo("use1-az1");
    assertThat(first.cidrBlock()).isEqualTo("10.0.1.0/24");
    assertThat(first.stateAsString()).isEqualTo("available");
    assertThat(first.ownerId()).isEqualTo("123456789012");
    assertThat(first.subnetArn()).isEqualTo("arn:aws:ec2:us-east-1:123456789012:subnet/subnet-aaa");
    assertThat(first.tags()).singleElement().satisfies(t -> {
      assertThat(t.key()).isEqualTo("gh-runners");
      assertThat(t.value()).isEqualTo("true");
    });

    assertThat(ec2.describeSubnets(b -> b.filters(filter("tag:gh-runners", "true"), filter("vpc-id", "vpc-9999")))
        .subnets()).extracting(Subnet::subnetId).containsExactly("subnet-extra1", "subnet-extra3");
    assertThat(ec2.describeSubnets(b -> b.filters(filter("tag:Name", "extra4", "extra5"))).subnets()).hasSize(2);
    assertThat(ec2.describeSubnets(b -> b.filters(filter("tag:Name", "extra*"))).subnets()).hasSize(6);
    assertThat(ec2.describeSubnets(b -> b.filters(filter("tag-key", "Name"))).subnets()).hasSize(6);
    assertThat(ec2.describeSubnets(b -> b.subnetIds("subnet-bbb")).subnets()).extracting(Subnet::subnetId)
        .containsExactly("subnet-bbb");
    assertThat(ec2.describeSubnets().subnets()).hasSize(8);
    assertThat(ec2.describeSubnets().responseMetadata().requestId()).isNotBlank().isNotEqualTo("UNKNOWN");
    assertThat(fx.ecs.requestBodies("DescribeSubnets").get(0)).contains("Filter.1.Name=tag%3Agh-runners");
    assertThat(fx.ecs.callCount("DescribeSubnets")).isEqualTo(9);
    assertThat(fx.ecs.rejectedRequests()).isEmpty();
  }

  @Test
  void describeSecurityGroupsFiltersByTagNameAndId() {
    assertThat(ec2.describeSecurityGroups(b -> b.filters(filter("tag:gh-runners", "true"))).securityGroups())
        .singleElement().satisfies(g -> {
          assertThat(g.groupId()).isEqualTo("sg-123");
          assertThat(g.groupName()).isEqualTo("runners");
          assertThat(g.vpcId()).isEqualTo("vpc-0123");
          assertThat(g.ownerId()).isEqualTo("123456789012");
          assertThat(g.description()).isNotBlank();
          assertThat(g.tags()).hasSize(1);
        });
    assertThat(ec2.describeSecurityGroups(b -> b.filters(filter("group-name", "other"))).securityGroups())
        .extracting(SecurityGroup::groupId).containsExactly("sg-456");
    assertThat(ec2.describeSecurityGroups(b -> b.groupIds("sg-456", "sg-123")).securityGroups()).hasSize(2);
    var page = ec2.describeSecurityGroups(b -> b.maxResults(5));
    assertThat(page.securityGroups()).hasSize(2);
    assertThat(page.nextToken()).isNull();
  }

  @Test
  void unknownIdsAndBadParametersAreEc2Errors() {
    assertThatThrownBy(() -> ec2.describeSubnets(b -> b.subnetIds("subnet-aaa", "subnet-nope")))
        .isInstanceOfSatisfying(Ec2Exception.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSubnetID.NotFound");
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The subnet ID 'subnet-nope' does not exist");
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.requestId()).isNotBlank();
        });
    assertThatThrownBy(() -> ec2.describeSecurityGroups(b -> b.groupIds("sg-nope")))
        .isInstanceOfSatisfying(Ec2Exception.class, e ->
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidGroup.NotFound"));
    assertThatThrownBy(() -> ec2.describeSubnets(b -> b.maxResults(2)))
        .isInstanceOfSatisfying(Ec2Exception.class, e ->
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
    assertThatThrownBy(() -> ec2.describeSubnets(b -> b.filters(filter("colour", "blue"))))
        .isInstanceOfSatisfying(Ec2Exception.class, e ->
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The filter 'colour' is invalid"));
    assertThatThrownBy(() -> ec2.describeSubnets(b -> b.dryRun(true)))
        .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
    assertThat(fx.ecs.rejectedRequests()).hasSize(5);
  }

  @Test
  void faultsApplyToEc2ActionsToo() {
    fx.ecs.faults().throttleNext("DescribeSubnets", 1).accessDeniedNext("DescribeSecurityGroups", 1);
    assertThatThrownBy(() -> ec2.describeSubnets()).isInstanceOfSatisfying(Ec2Exception.class, e -> {
      assertThat(e.isThrottlingException()).isTrue();
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RequestLimitExceeded");
    });
    assertThatThrownBy(() -> ec2.describeSecurityGroups()).isInstanceOfSatisfying(Ec2Exception.class, e -> {
      assertThat(e.statusCode()).isEqualTo(403);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnauthorizedOperation");
    });
    assertThat(ec2.describeSubnets().subnets()).hasSize(8);
    assertThat(fx.ecs.rejectedRequests()).isEmpty();
  }
}
