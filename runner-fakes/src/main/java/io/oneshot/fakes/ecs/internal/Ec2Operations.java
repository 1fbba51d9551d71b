package io.oneshot.fakes.ecs.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * EC2 DescribeSubnets and DescribeSecurityGroups over the query protocol: parameter checks
 * ({@code UnknownParameter}, {@code DryRun}), explicit ids ({@code InvalidSubnetID.NotFound},
 * {@code InvalidGroup.NotFound}), filters (values ORed within a filter, filters ANDed, {@code *} and
 * {@code ?} wildcards), {@code MaxResults}/{@code NextToken} paging; answers in EC2's XML. Stateless
 * apart from the network it reads; thread-safe.
 */
public final class Ec2Operations {
  private static final Pattern COMMON = Pattern.compile("Action|Version|DryRun|MaxResults|NextToken"
      + "|Filter\\.\\d+\\.(Name|Value\\.\\d+)");
  private static final Pattern SUBNET_PARAMS = Pattern.compile("SubnetId\\.\\d+");
  private static final Pattern GROUP_PARAMS = Pattern.compile("GroupId\\.\\d+|GroupName\\.\\d+");

  private final EcsState state;

  public Ec2Operations(EcsState state) {
    this.state = state;
  }

  /** The XML answer to a supported action; throws {@link Ec2Error} for the service's errors. */
  public String answer(String action, QueryRequest request, String requestId) {
    return switch (action) {
      case "DescribeSubnets" -> describeSubnets(request, requestId);
      case "DescribeSecurityGroups" -> describeSecurityGroups(request, requestId);
      default -> throw Ec2Error.client("InvalidAction", "The action " + action + " is not valid for this web service.");
    };
  }

  /** Whether this fake serves the action. */
  public static boolean supports(String action) {
    return action.equals("DescribeSubnets") || action.equals("DescribeSecurityGroups");
  }

  private String describeSubnets(QueryRequest request, String requestId) {
    checkParams(request, SUBNET_PARAMS);
    List<Network.Subnet> all = state.network.subnets();
    List<String> ids = request.indexed("SubnetId");
    for (String id : ids) {
      if (all.stream().noneMatch(s -> s.subnetId().equals(id))) {
        throw Ec2Error.client("InvalidSubnetID.NotFound", "The subnet ID '" + id + "' does not exist");
      }
    }
    List<Network.Subnet> matching = new ArrayList<>();
    for (Network.Subnet subnet : all) {
      if ((ids.isEmpty() || ids.contains(subnet.subnetId())) && matches(request, name -> subnetField(subnet, name),
          subnet.tags())) {
        matching.add(subnet);
      }
    }
    Page<Network.Subnet> page = page(request, matching);
    Xml xml = new Xml().open("DescribeSubnetsResponse", true).element("requestId", requestId).open("subnetSet");
    for (Network.Subnet s : page.items()) {
      xml.open("item")
          .element("subnetId", s.subnetId())
          .element("subnetArn", "arn:aws:ec2:" + state.region + ":" + state.accountId + ":subnet/" + s.subnetId())
          .element("state", "available")
          .element("vpcId", s.vpcId())
          .element("cidrBlock", s.cidrBlock())
          .element("availableIpAddressCount", 251)
          .element("availabilityZone", s.availabilityZone())
          .element("availabilityZoneId", availabilityZoneId(s.availabilityZone()))
          .element("defaultForAz", false)
          .element("mapPublicIpOnLaunch", false)
          .element("mapCustomerOwnedIpOnLaunch", false)
          .element("ownerId", state.accountId)
          .element("assignIpv6AddressOnCreation", false)
          .open("ipv6CidrBlockAssociationSet").close("ipv6CidrBlockAssociationSet")
          .element("enableDns64", false)
          .element("ipv6Native", false)
          .open("privateDnsNameOptionsOnLaunch")
          .element("hostnameType", "ip-name")
          .element("enableResourceNameDnsARecord", false)
          .element("enableResourceNameDnsAAAARecord", false)
          .close("privateDnsNameOptionsOnLaunch");
      tagSet(xml, s.tags());
      xml.close("item");
    }
    xml.close("subnetSet");
    page.nextToken().ifPresent(token -> xml.element("nextToken", token));
    return xml.close("DescribeSubnetsResponse").toString();
  }

  private String describeSecurityGroups(QueryRequest request, String requestId) {
    checkParams(request, GROUP_PARAMS);
    List<Network.SecurityGroup> all = state.network.securityGroups();
    List<String> ids = request.indexed("GroupId");
    List<String> names = request.indexed("GroupName");
    if (!ids.isEmpty() && request.get("MaxResults").isPresent()) {
      throw Ec2Error.client("InvalidParameterCombination",
          "The parameter groupIds cannot be used with the parameter maxResults");
    }
    for (String id : ids) {
      if (all.stream().noneMatch(g -> g.groupId().equals(id))) {
        throw Ec2Error.client("InvalidGroup.NotFound", "The security group '" + id + "' does not exist");
      }
    }
    for (String name : names) {
      if (all.stream().noneMatch(g -> g.groupName().equals(name))) {
        throw Ec2Error.client("InvalidGroup.NotFound", "The security group '" + name + "' does not exist");
      }
    }
    List<Network.SecurityGroup> matching = new ArrayList<>();
    for (Network.SecurityGroup group : all) {
      if ((ids.isEmpty() || ids.contains(group.groupId())) && (names.isEmpty() || names.contains(group.groupName()))
          && matches(request, name -> groupField(group, name), group.tags())) {
        matching.add(group);
      }
    }
    Page<Network.SecurityGroup> page = page(request, matching);
    Xml xml = new Xml().open("DescribeSecurityGroupsResponse", true).element("requestId", requestId)
        .open("securityGroupInfo");
    for (Network.SecurityGroup g : page.items()) {
      xml.open("item")
          .element("ownerId", state.accountId)
          .element("groupId", g.groupId())
          .element("groupName", g.groupName())
          .element("groupDescription", description(g))
          .open("ipPermissions").close("ipPermissions")
          .open("ipPermissionsEgress").open("item")
          .element("ipProtocol", "-1")
          .open("groups").close("groups")
          .open("ipRanges").open("item").element("cidrIp", "0.0.0.0/0").close("item").close("ipRanges")
          .open("ipv6Ranges").close("ipv6Ranges")
          .open("prefixListIds").close("prefixListIds")
          .close("item").close("ipPermissionsEgress")
          .element("vpcId", g.vpcId())
          .element("securityGroupArn", "arn:aws:ec2:" + state.region + ":" + state.accountId + ":security-group/"
              + g.groupId());
      tagSet(xml, g.tags());
      xml.close("item");
    }
    xml.close("securityGroupInfo");
    page.nextToken().ifPresent(token -> xml.element("nextToken", token));
    return xml.close("DescribeSecurityGroupsResponse").toString();
  }

  private static String description(Network.SecurityGroup group) {
    return "Security group " + group.groupName();
  }

  private void checkParams(QueryRequest request, Pattern operationParams) {
    for (String key : request.params().keySet()) {
      if (!COMMON.matcher(key).matches() && !operationParams.matcher(key).matches()) {
        throw Ec2Error.client("UnknownParameter", "The parameter " + key + " is not recognized");
      }
    }
    if (request.get("DryRun").map(Boolean::parseBoolean).orElse(false)) {
      throw new Ec2Error("DryRunOperation", 412, "Request would have succeeded, but DryRun flag is set.");
    }
  }

  private static Optional<String> subnetField(Network.Subnet subnet, String filter) {
    return switch (filter) {
      case "vpc-id" -> Optional.of(subnet.vpcId());
      case "subnet-id" -> Optional.of(subnet.subnetId());
      case "availability-zone" -> Optional.of(subnet.availabilityZone());
      case "cidr-block" -> Optional.of(subnet.cidrBlock());
      case "state" -> Optional.of("available");
      case "default-for-az" -> Optional.of("false");
      default -> null;
    };
  }

  private static Optional<String> groupField(Network.SecurityGroup group, String filter) {
    return switch (filter) {
      case "vpc-id" -> Optional.of(group.vpcId());
      case "group-id" -> Optional.of(group.groupId());
      case "group-name" -> Optional.of(group.groupName());
      case "description" -> Optional.of(description(group));
      default -> null;
    };
  }

  /**
   * Whether a resource passes every filter. {@code field} gives a plain filter's value, or null when the
   * filter name is not one this resource type knows (an {@code InvalidParameterValue}).
   */
  private static boolean matches(QueryRequest request, Function<String, Optional<String>> field,
      Map<String, String> tags) {
    for (QueryRequest.Filter filter : request.filters()) {
      String name = filter.name();
      boolean any;
      if (name.startsWith("tag:") && name.length() > 4) {
        String value = tags.get(name.substring(4));
        any = value != null && anyMatches(filter.values(), value);
      } else if (name.equals("tag-key")) {
        any = tags.keySet().stream().anyMatch(k -> anyMatches(filter.values(), k));
      } else if (name.equals("tag-value")) {
        any = tags.values().stream().anyMatch(v -> anyMatches(filter.values(), v));
      } else {
        Optional<String> value = field.apply(name);
        if (value == null) {
          throw Ec2Error.client("InvalidParameterValue", "The filter '" + name + "' is invalid");
        }
        any = value.isPresent() && anyMatches(filter.values(), value.get());
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  private static boolean anyMatches(List<String> patterns, String value) {
    for (String pattern : patterns) {
      StringBuilder regex = new StringBuilder();
      for (char c : pattern.toCharArray()) {
        regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
      }
      if (value.matches(regex.toString())) {
        return true;
      }
    }
    return false;
  }

  private record Page<T>(List<T> items, Optional<String> nextToken) {}

  private static <T> Page<T> page(QueryRequest request, List<T> all) {
    int offset = 0;
    Optional<String> token = request.get("NextToken");
    if (token.isPresent()) {
      try {
        String text = new String(Base64.getUrlDecoder().decode(token.get()), StandardCharsets.UTF_8);
        offset = Integer.parseInt(text.substring(text.indexOf(':') + 1));
        if (!text.startsWith("fake-ec2:") || offset < 0) {
          throw new IllegalArgumentException("not ours");
        }
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        throw Ec2Error.client("InvalidPaginationToken", "The specified pagination token is not valid");
      }
    }
    int size = all.size();
    Optional<String> max = request.get("MaxResults");
    if (max.isPresent()) {
      try {
        size = Integer.parseInt(max.get());
      } catch (NumberFormatException e) {
        size = -1;
      }
      if (size < 5 || size > 1000) {
        throw Ec2Error.client("InvalidParameterValue", "Value ( " + max.get() + " ) for parameter maxResults is"
            + " invalid. Expecting a value between 5 and 1000.");
      }
    }
    int from = Math.min(offset, all.size());
    int end = Math.min(all.size(), from + size);
    Optional<String> next = end < all.size()
        ? Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(("fake-ec2:" + end)
            .getBytes(StandardCharsets.UTF_8)))
        : Optional.empty();
    return new Page<>(all.subList(from, end), next);
  }

  private static void tagSet(Xml xml, Map<String, String> tags) {
    xml.open("tagSet");
    tags.forEach((k, v) -> xml.open("item").element("key", k).element("value", v).close("item"));
    xml.close("tagSet");
  }

  /** us-east-1a → use1-az1: the shape of AWS's zone ids (the real mapping differs per account). */
  private String availabilityZoneId(String zone) {
    String[] parts = state.region.split("-");
    String prefix = parts.length == 3 ? parts[0] + parts[1].charAt(0) + parts[2] : state.region;
    char letter = zone.isEmpty() ? 'a' : zone.charAt(zone.length() - 1);
    return prefix + "-az" + (Character.isLetter(letter) ? letter - 'a' + 1 : 1);
  }
}
