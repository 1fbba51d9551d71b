package io.oneshot.backend.aci;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.SettingProblems;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the runners' container groups are: the only settings a {@link io.oneshot.spi.LauncherPurpose#MANAGE}
 * launcher (stop, sweep, status) reads. Values only; nothing here calls Azure.
 *
 * @param subscriptionId {@code subscription-id}: the subscription's GUID
 * @param resourceGroup {@code resource-group}: where the container groups are
 * @param endpoint {@code endpoint}: an https ARM endpoint override (the fake); empty for Azure itself
 */
public record AciScope(String subscriptionId, String resourceGroup, Optional<URI> endpoint) {
  private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");
  private static final Pattern RESOURCE_GROUP = Pattern.compile("[-\\w.()]{0,89}[-\\w()]");

  /** Reads {@code subscription-id}, {@code resource-group} and {@code endpoint}, adding what is wrong to problems. */
  static AciScope read(BackendSettings settings, SettingProblems problems) {
    String subscription = settings.get(AciSettings.SUBSCRIPTION_ID).orElse("");
    if (subscription.isEmpty()) {
      problems.add(AciSettings.SUBSCRIPTION_ID, "subscription-id is required; use the subscription's GUID, such as"
          + " 00000000-0000-0000-0000-000000000000");
    } else if (!GUID.matcher(subscription).matches()) {
      problems.add(AciSettings.SUBSCRIPTION_ID, "subscription-id '" + subscription + "' is not a subscription id; use"
          + " its GUID, such as 00000000-0000-0000-0000-000000000000");
    }
    String resourceGroup = settings.get(AciSettings.RESOURCE_GROUP).orElse("");
    if (resourceGroup.isEmpty()) {
      problems.add(AciSettings.RESOURCE_GROUP, "resource-group is required; use the name of the resource group the"
          + " runners go to");
    } else if (!RESOURCE_GROUP.matcher(resourceGroup).matches()) {
      problems.add(AciSettings.RESOURCE_GROUP, "resource-group '" + resourceGroup + "' is not a resource group name;"
          + " use 1 to 90 letters, digits, '-', '_', '.', '(' or ')', not ending with '.'");
    }
    Optional<URI> endpoint = Optional.empty();
    Optional<String> text = settings.get(AciSettings.ENDPOINT);
    if (text.isPresent()) {
      try {
        URI uri = URI.create(text.get());
        if (uri.getHost() == null || !"https".equalsIgnoreCase(uri.getScheme())) {
          problems.add(AciSettings.ENDPOINT, "endpoint '" + text.get() + "' is not an https URL; the Azure SDK sends"
              + " bearer tokens only over https: use https://HOST:PORT");
        } else {
          endpoint = Optional.of(uri);
        }
      } catch (IllegalArgumentException e) {
        problems.add(AciSettings.ENDPOINT, "endpoint '" + text.get() + "' is not a URL; use https://HOST:PORT");
      }
    }
    return new AciScope(subscription, resourceGroup, endpoint);
  }
}
