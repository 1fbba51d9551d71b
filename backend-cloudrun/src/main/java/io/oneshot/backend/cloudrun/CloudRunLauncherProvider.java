package io.oneshot.backend.cloudrun;

import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.Job;
import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.SettingDefinition;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code cloudrun} backend. {@link #create} checks every setting at once, builds the Cloud Run clients
 * (Application Default Credentials, as google-github-actions/auth provides them; none for a plaintext
 * endpoint), then reads the job (GetJob) so that a missing or unreadable job, or an ambiguous runner
 * container, fails before anything is created. For stop, sweep and status ({@link LauncherPurpose#MANAGE})
 * it reads only project, region, job, endpoint and plaintext and makes no call. Blocks during
 * {@code create}; stateless otherwise.
 */
public final class CloudRunLauncherProvider implements RunnerLauncherProvider {
  private static final Logger LOG = LoggerFactory.getLogger(CloudRunLauncherProvider.class);
  private final Optional<Supplier<TransportChannelProvider>> channel;
  private final RetrySettings retries;
  private final Map<String, String> environment;

  /** The provider {@link java.util.ServiceLoader} creates. */
  public CloudRunLauncherProvider() {
    this(Optional.empty(), CloudRunClients.DEFAULT_RETRIES, System.getenv());
  }

  /** For tests: a transport (for example in-process), the clients' retry backoff and the environment. */
  CloudRunLauncherProvider(Optional<Supplier<TransportChannelProvider>> channel, RetrySettings retries,
      Map<String, String> environment) {
    this.channel = channel;
    this.retries = retries;
    this.environment = environment;
  }

  @Override
  public String id() {
    return CloudRunRunnerLauncher.ID;
  }

  @Override
  public List<SettingDefinition> settings() {
    return CloudRunSettings.DEFINITIONS;
  }

  @Override
  public RunnerLauncher create(BackendSettings backendSettings) {
    CloudRunSettings settings = CloudRunSettings.parse(backendSettings, environment);
    CloudRunClients clients;
    try {
      clients = CloudRunClients.create(settings, channel.map(Supplier::get), retries);
    } catch (IOException e) {
      throw InvalidSettingsException.of(InvalidSettingsException.GENERAL, "no Google credentials were found ("
          + e.getMessage() + "); authenticate"
          + " with google-github-actions/auth (Workload Identity Federation) before oneshot, or set"
          + " GOOGLE_APPLICATION_CREDENTIALS");
    }
    if (backendSettings.purpose() == LauncherPurpose.MANAGE) {
      return new CloudRunRunnerLauncher(clients, settings, Optional.empty(), backendSettings.clock());
    }
    try {
      String container = runnerContainer(settings, readJob(clients, settings));
      return new CloudRunRunnerLauncher(clients, settings, Optional.of(container), backendSettings.clock());
    } catch (RuntimeException e) {
      clients.close();
      throw e;
    }
  }

  private static Job readJob(CloudRunClients clients, CloudRunSettings settings) {
    try {
      return clients.jobs.getJob(settings.jobName());
    } catch (ApiException e) {
      StatusCode.Code code = CloudRunErrors.code(e);
      if (code == StatusCode.Code.NOT_FOUND) {
        throw InvalidSettingsException.of(CloudRunSettings.JOB, "job '" + settings.job() + "' does not exist in project "
            + settings.project() + ", region " + settings.region() + "; give the name of an existing Cloud Run job"
            + " (gcloud run jobs list --region " + settings.region() + ")");
      }
      if (code == StatusCode.Code.PERMISSION_DENIED) {
        throw InvalidSettingsException.of(CloudRunSettings.JOB, "job '" + settings.job() + "' could not be read: "
            + CloudRunErrors.describe("GetJob", settings.jobName(), e));
      }
      throw CloudRunErrors.callFailure("GetJob", settings.jobName(), e);
    }
  }

  /** The named container, else the job's only container. */
  private static String runnerContainer(CloudRunSettings settings, Job job) {
    List<Container> containers = job.getTemplate().getTemplate().getContainersList();
    if (job.getTemplate().getTemplate().getMaxRetries() > 0) {
      LOG.warn("Cloud Run job {} retries failed tasks ({} times); a retry reuses the runner's single-use JIT config,"
          + " which GitHub refuses: set max retries to 0 on the job", settings.job(),
          job.getTemplate().getTemplate().getMaxRetries());
    }
    List<String> names = containers.stream().map(Container::getName).toList();
    if (settings.container().isPresent()) {
      String wanted = settings.container().get();
      if (!names.contains(wanted)) {
        throw InvalidSettingsException.of(CloudRunSettings.CONTAINER, "container '" + wanted + "' is not a container of job " + settings.job()
            + "; its containers: " + String.join(", ", names));
      }
      return wanted;
    }
    if (containers.size() == 1) {
      return names.get(0);
    }
    throw InvalidSettingsException.of(CloudRunSettings.CONTAINER, "job " + settings.job() + " has " + containers.size() + " containers ("
        + String.join(", ", names) + "); set container to the runner's");
  }
}
