package io.oneshot.bench;

import io.oneshot.fakes.ecs.EcsTimings;
import io.oneshot.fakes.ecs.FakeEcs;
import io.oneshot.fakes.ecs.TaskDefinitionSpec;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.FakeRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 13's process-level start-up benchmark (S1–S8, see bench/README.md). This JVM serves a fake GitHub and a
 * fake ECS/EC2 on loopback with the real clock (GitHub and ECS answer at once; a task reaches RUNNING 0.45 s after
 * RunTask and its runner is online 0.3 s later), and runs the real CLI ({@code oneshot.jar}) as a child process in
 * Actions mode ({@code INPUT_*}, {@code $GITHUB_OUTPUT}), timing it from {@code ProcessBuilder.start} to exit.
 *
 * <p>Each fake sits behind a byte relay that notes when the first connection of a run is accepted (S4: process
 * start to first API call). A poller thread brings the fake ECS up to the clock every few ms (so runners come
 * online on time whether or not the CLI looks) and notes when GitHub first lists each runner online (S3), and
 * which GitHub list calls fall into which DescribeTasks round (S8). Peak RSS comes from {@code /usr/bin/time}.
 *
 * <p>System properties: {@code bench.rounds} (5), {@code bench.jar}, {@code bench.imageJava},
 * {@code bench.archive}, {@code bench.checkout}, {@code bench.out}, {@code bench.only} (comma-separated
 * scenario names: floor,s1,s4,s2,s5,s6,s8). Blocks; prints a Markdown table.
 */
public final class StartupBench {
  private static final String APP = "octo-org/app";
  private static final String BIG = "octo-org/big";
  private static final String LIST_OP = "actions/list-self-hosted-runners-for-repo";
  private static final Duration LATENCY = Duration.ofMillis(100);
  private static final Pattern NAMES = Pattern.compile("\"([^\"]+)\"");

  private final int rounds = Integer.getInteger("bench.rounds", 5);
  private final Path checkout = Path.of(System.getProperty("bench.checkout", ".")).toAbsolutePath().normalize();
  private final Path jar = Path.of(System.getProperty("bench.jar", checkout + "/runner-action/target/oneshot.jar"));
  private final Path imageJava = Path.of(System.getProperty("bench.imageJava",
      checkout + "/bench/target/image/jre/bin/java"));
  private final Path archive = Path.of(System.getProperty("bench.archive", checkout + "/bench/target/image/oneshot.jsa"));
  private final Path out = Path.of(System.getProperty("bench.out", checkout + "/bench/target/startup"));
  private final List<String> only = List.of(System.getProperty("bench.only", "floor,s1,s4,s2,s5,s6,s8").split(","));

  private FakeGitHub github;
  private FakeEcs ecs;
  private Relay githubRelay;
  private Relay ecsRelay;
  private String token;
  private final Map<String, Long> onlineAt = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> listCallsAtRoundStart = new ConcurrentHashMap<>();
  private volatile boolean trackRounds;
  private volatile int lastDescribes = -1;
  private volatile long lastPoll;
  private String appKey;
  private final List<String> rows = new ArrayList<>();

  private StartupBench() {}

  public static void main(String[] args) throws Exception {
    new StartupBench().run();
  }

  private void run() throws Exception {
    Files.createDirectories(out);
    EcsTimings timings = new EcsTimings(Duration.ofMillis(150), Duration.ofMillis(150), Duration.ofMillis(150),
        Duration.ofMillis(300), Duration.ZERO, Duration.ZERO, Duration.ZERO);
    try (FakeGitHub gh = FakeGitHub.builder().clock(Clock.systemUTC()).seed(13).build();
        FakeEcs cloud = FakeEcs.builder().github(gh).seed(13).timings(timings).build();
        Relay gr = new Relay(gh.apiUrl());
        Relay er = new Relay(cloud.endpoint())) {
      github = gh;
      ecs = cloud;
      githubRelay = gr;
      ecsRelay = er;
      appKey = github.addRepository(APP);
      String bigKey = github.addRepository(BIG);
      token = github.issueToken();
      ecs.registerTaskDefinition(TaskDefinitionSpec.fargate("dev", "runner", "ghcr.io/oneshot/runner:bench"));
      ecs.addSubnet("subnet-0a1b2c3d4e5f60001", "vpc-0a1b2c3d", "us-east-1a", Map.of("oneshot", "runners"));
      ecs.addSubnet("subnet-0a1b2c3d4e5f60002", "vpc-0a1b2c3d", "us-east-1b", Map.of("oneshot", "runners"));
      ecs.addSecurityGroup("sg-0a1b2c3d4e5f60003", "runners", "vpc-0a1b2c3d", Map.of("oneshot", "runners"));
      String registration = github.createRegistrationToken(bigKey);
      for (int i = 0; i < 1000; i++) {
        github.configureWithToken(registration, String.format("other-runner-%04d", i), List.of("other"), "Default",
            false);
      }
      ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-poller");
        thread.setDaemon(true);
        return thread;
      });
      poller.scheduleWithFixedDelay(() -> poll(appKey), 0, 3, TimeUnit.MILLISECONDS);
      try {
        scenarios();
      } finally {
        poller.shutdownNow();
      }
    }
    System.out.println();
    System.out.println("| figure | median | spread (min–max) | rounds |");
    System.out.println("| --- | --- | --- | --- |");
    rows.forEach(System.out::println);
    System.out.printf("%nmachine: %d cores, %s; load before/after: see the script; java %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"), System.getProperty("java.version"));
  }

  private void scenarios() throws Exception {
    // bench.jvmFlags: extra flags for the image runs, to profile them (e.g. -Xlog:class+load:file=cl.txt:uptime).
    List<String> image = new ArrayList<>(List.of(imageJava.toString(), "-XX:SharedArchiveFile=" + archive,
        "-XX:TieredStopAtLevel=1"));
    String extra = System.getProperty("bench.jvmFlags", "").trim();
    if (!extra.isEmpty()) {
      image.addAll(List.of(extra.split("\\s+")));
    }
    image.addAll(List.of("-jar", jar.toString()));
    List<String> imageNoArchive = List.of(imageJava.toString(), "-XX:TieredStopAtLevel=1", "-jar", jar.toString());
    if (only.contains("floor")) {
      String classes = checkout.resolve("bench/target/classes").toString();
      List<Run> linked = repeat(() -> plain(List.of(imageJava.toString(), "-XX:TieredStopAtLevel=1", "-cp", classes,
          "io.oneshot.bench.Hello")));
      row("floor: hello world, linked runtime (ms)", linked, Run::wallMillis);
      List<Run> system = repeat(() -> plain(List.of("java", "-cp", classes, "io.oneshot.bench.Hello")));
      row("floor: hello world, java on PATH (ms)", system, Run::wallMillis);
    }
    if (only.contains("s1")) {
      List<Run> runs = repeat(() -> startAndStop(image, APP, 1));
      row("S1 process wall, image flags + archive, 1 runner (ms)", runs, Run::wallMillis);
      row("S3 runner online → exit (ms)", runs, Run::onlineToExitMillis);
      row("S4 start → first API call, with archive (ms)", runs, Run::firstCallMillis);
      row("S7 peak RSS, 1 runner (MiB)", runs, r -> r.rssKiB() / 1024);
    }
    if (only.contains("s4")) {
      List<Run> runs = repeat(() -> startAndStop(imageNoArchive, APP, 1));
      row("S4 start → first API call, base CDS only (ms)", runs, Run::firstCallMillis);
      row("   (process wall, base CDS only, ms)", runs, Run::wallMillis);
    }
    if (only.contains("s2")) {
      List<Run> runs = repeat(() -> startAndStop(List.of(checkout.resolve("oneshot").toString()), APP, 1));
      row("S2 process wall, ./oneshot on a checkout, 2nd run on (ms)", runs, Run::wallMillis);
      row("   (S3 through ./oneshot, ms)", runs, Run::onlineToExitMillis);
      row("   (S4 through ./oneshot, ms)", runs, Run::firstCallMillis);
    }
    if (only.contains("s5")) {
      github.faults().latency(LATENCY);
      ecs.faults().latency(LATENCY);
      try {
        List<Run> one = repeat(() -> startAndStop(image, APP, 1));
        List<Run> fifty = repeat(() -> startAndStop(image, APP, 50));
        row("S5 1 runner, +100 ms per call (ms)", one, Run::wallMillis);
        row("S5 50 runners, +100 ms per call (ms)", fifty, Run::wallMillis);
        rows.add(String.format(Locale.ROOT, "| S5 ratio 50 vs 1 (medians) | %.2f× | | |",
            (double) median(fifty, Run::wallMillis) / median(one, Run::wallMillis)));
        row("S7 peak RSS, 50 runners (MiB)", fifty, r -> r.rssKiB() / 1024);
      } finally {
        github.faults().reset();
        ecs.faults().reset();
      }
    }
    if (only.contains("s6")) {
      List<Run> runs = repeat(() -> startAndStop(image, APP, 20));
      rows.add(String.format(Locale.ROOT, "| S6 GitHub calls per runner, start + stop, 20 runners | %.2f | %.2f–%.2f | %d |",
          median(runs, r -> r.githubCalls() * 100L / 20) / 100.0,
          runs.stream().mapToLong(r -> r.githubCalls()).min().orElseThrow() / 20.0,
          runs.stream().mapToLong(r -> r.githubCalls()).max().orElseThrow() / 20.0, runs.size()));
      System.err.println("S6 GitHub calls, start + stop of 20: " + runs.stream().map(Run::githubCalls).toList());
    }
    if (only.contains("s8")) {
      List<Run> runs = repeat(() -> startAndStop(image, BIG, 5));
      row("S8 GitHub calls per wait round (max), 5 runners among 1,000", runs, Run::maxListCallsPerRound);
      row("   (wait rounds with a GitHub list)", runs, Run::listRounds);
    }
  }

  private interface Measured {
    Run run() throws Exception;
  }

  /** One warm-up (page cache, the fakes' JIT, ./oneshot's archive), then {@link #rounds} measured runs. */
  private List<Run> repeat(Measured measured) throws Exception {
    measured.run();
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      runs.add(measured.run());
    }
    return runs;
  }

  private interface Figure {
    long of(Run run);
  }

  private void row(String name, List<Run> runs, Figure figure) {
    List<Long> values = runs.stream().map(figure::of).sorted().toList();
    rows.add("| " + name + " | " + median(runs, figure) + " | " + values.get(0) + "–" + values.get(values.size() - 1)
        + " | " + values.size() + " |");
    System.err.println(name + ": " + values);
  }

  private static long median(List<Run> runs, Figure figure) {
    List<Long> values = runs.stream().map(figure::of).sorted().toList();
    return values.get(values.size() / 2);
  }

  /**
   * @param firstCallMillis process start to the first connection accepted by either fake, -1 when none
   * @param onlineToExitMillis the last runner of the batch first listed online in GitHub → process exit
   * @param githubCalls GitHub requests during start and the following stop
   * @param maxListCallsPerRound the most GitHub list requests between two DescribeTasks (the wait's rounds)
   * @param listRounds rounds with at least one GitHub list request
   */
  private record Run(long wallMillis, long firstCallMillis, long onlineToExitMillis, long rssKiB, long githubCalls,
      long maxListCallsPerRound, long listRounds) {}

  private Run plain(List<String> command) throws Exception {
    Child child = child(command, Map.of(), "hello");
    return new Run(child.wallMillis, -1, -1, child.rssKiB, 0, 0, 0);
  }

  private Run startAndStop(List<String> command, String repository, int count) throws Exception {
    Map<String, String> env = environment(repository, count);
    int githubBefore = github.callCount();
    listCallsAtRoundStart.clear();
    lastDescribes = -1;
    githubRelay.arm();
    ecsRelay.arm();
    trackRounds = true;
    Child start = child(command, env, "start");
    trackRounds = false;
    int listAfterStart = github.callCount(LIST_OP);
    long firstAccept = Math.min(githubRelay.firstAcceptNanos(), ecsRelay.firstAcceptNanos());
    Map<String, String> outputs = start.outputs;
    if (start.exit != 0) {
      throw new IllegalStateException("start failed (exit " + start.exit + "):\n" + start.log);
    }
    long lastOnline = 0;
    // Online times are noted for the main repository only (listing the 1,000 others every few ms would cost).
    for (Matcher m = NAMES.matcher(repository.equals(APP) ? outputs.getOrDefault("runner_names", "") : "");
        m.find(); ) {
      String name = m.group(1).toLowerCase(Locale.ROOT);
      Long at = onlineAt.get(name);
      if (at == null) {
        System.err.printf("bench: %s not noted online by the poller (last poll %d ms ago); polling now%n", name,
            (System.nanoTime() - lastPoll) / 1_000_000);
        poll(appKey);
        at = onlineAt.get(name);
        if (at == null) {
          throw new IllegalStateException("runner " + name + " was never seen online: " + github.runners(appKey));
        }
      }
      lastOnline = Math.max(lastOnline, at);
    }
    Map<String, String> stopEnv = new LinkedHashMap<>(env);
    stopEnv.put("INPUT_MODE", "stop");
    stopEnv.put("INPUT_RUNNER-ID", outputs.get("runner_id"));
    Child stop = child(command, stopEnv, "stop");
    if (stop.exit != 0) {
      throw new IllegalStateException("stop failed (exit " + stop.exit + "):\n" + stop.log);
    }
    List<Integer> starts = new ArrayList<>(new java.util.TreeMap<>(listCallsAtRoundStart).values());
    starts.add(listAfterStart);
    long maxPerRound = 0;
    long listRounds = 0;
    for (int i = 0; i + 1 < starts.size(); i++) {
      long calls = starts.get(i + 1) - starts.get(i);
      maxPerRound = Math.max(maxPerRound, calls);
      listRounds += calls > 0 ? 1 : 0;
    }
    return new Run(start.wallMillis, firstAccept == Long.MAX_VALUE ? -1 : (firstAccept - start.startedNanos) / 1_000_000,
        lastOnline == 0 ? -1 : (start.exitedNanos - lastOnline) / 1_000_000, start.rssKiB, github.callCount() - githubBefore, maxPerRound,
        listRounds);
  }

  private Map<String, String> environment(String repository, int count) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_REPOSITORY", repository);
    env.put("GITHUB_API_URL", githubRelay.url().toString());
    env.put("GITHUB_RUN_ID", "4242");
    env.put("INPUT_TOKEN", token);
    env.put("INPUT_NAME", "dev");
    env.put("INPUT_COUNT", Integer.toString(count));
    env.put("INPUT_TIMEOUT", "2m");
    env.put("INPUT_BACKEND", "ecs");
    env.put("INPUT_REGION", "us-east-1");
    env.put("INPUT_SUBNETS-TAG", "oneshot:runners");
    env.put("INPUT_SECURITY-GROUPS-TAG", "oneshot:runners");
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ENDPOINT_URL", ecsRelay.url().toString());
    env.put("AWS_ACCESS_KEY_ID", "AKIDONESHOTBENCH");
    env.put("AWS_SECRET_ACCESS_KEY", "oneshot-bench-not-a-secret");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    return env;
  }

  private record Child(int exit, long startedNanos, long exitedNanos, long wallMillis, long rssKiB,
      Map<String, String> outputs, String log) {}

  private Child child(List<String> command, Map<String, String> env, String name) throws Exception {
    Path output = out.resolve(name + ".out");
    Path summary = out.resolve(name + ".md");
    Path rss = out.resolve(name + ".rss");
    Path log = out.resolve(name + ".log");
    Files.deleteIfExists(output);
    Files.deleteIfExists(summary);
    List<String> full = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M", "-o", rss.toString()));
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().put("HOME", System.getenv().getOrDefault("HOME", "/tmp"));
    builder.environment().putAll(env);
    builder.environment().put("GITHUB_OUTPUT", output.toString());
    builder.environment().put("GITHUB_STEP_SUMMARY", summary.toString());
    long started = System.nanoTime();
    Process process = builder.start();
    int exit = process.waitFor();
    long exited = System.nanoTime();
    Map<String, String> outputs = new LinkedHashMap<>();
    if (Files.exists(output)) {
      for (String line : Files.readAllLines(output)) {
        int eq = line.indexOf('=');
        if (eq > 0 && !line.contains("<<")) {
          outputs.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    List<String> rssLines = Files.readAllLines(rss);
    long kib = Long.parseLong(rssLines.get(rssLines.size() - 1).trim());
    return new Child(exit, started, exited, (exited - started) / 1_000_000, kib, outputs, Files.readString(log));
  }

  /** Every few ms: brings the fake ECS up to the clock, notes runners first seen online, attributes list calls to rounds. */
  private synchronized void poll(String appKey) {
    lastPoll = System.nanoTime();
    try {
      if (trackRounds) {
        int describes = ecs.callCount("DescribeTasks");
        if (describes != lastDescribes) {
          lastDescribes = describes;
          listCallsAtRoundStart.put(describes, github.callCount(LIST_OP));
        }
      }
      ecs.poll();
      long now = System.nanoTime();
      for (FakeRunner runner : github.runners(appKey)) {
        if ("online".equals(runner.status()) || runner.busy()) {
          onlineAt.putIfAbsent(runner.name().toLowerCase(Locale.ROOT), now);
        }
      }
    } catch (Throwable e) { // the scheduler would stop polling for good
      System.err.println("bench poller: " + e);
    }
  }

  /**
   * A loopback byte relay in front of a fake: notes when the first connection after {@link #arm()} is accepted.
   */
  private static final class Relay implements AutoCloseable {
    private final ServerSocket server;
    private final URI target;
    private final URI url;
    private final ExecutorService pumps = Executors.newCachedThreadPool(r -> {
      Thread thread = new Thread(r, "bench-relay");
      thread.setDaemon(true);
      return thread;
    });
    private final AtomicLong firstAccept = new AtomicLong(Long.MAX_VALUE);
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());

    Relay(URI target) throws IOException {
      this.target = target;
      this.server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      this.url = URI.create(target.getScheme() + "://127.0.0.1:" + server.getLocalPort()
          + (target.getRawPath() == null ? "" : target.getRawPath()));
      Thread acceptor = new Thread(this::accept, "bench-relay-accept");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    URI url() {
      return url;
    }

    void arm() {
      firstAccept.set(Long.MAX_VALUE);
    }

    long firstAcceptNanos() {
      return firstAccept.get();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          long now = System.nanoTime();
          firstAccept.accumulateAndGet(now, Math::min);
          client.setTcpNoDelay(true);
          Socket upstream = new Socket(target.getHost(), target.getPort());
          upstream.setTcpNoDelay(true);
          open.add(client);
          open.add(upstream);
          pumps.execute(() -> pump(client, upstream));
          pumps.execute(() -> pump(upstream, client));
        } catch (IOException e) {
          if (!server.isClosed()) {
            System.err.println("bench relay: " + e);
          }
        }
      }
    }

    private static void pump(Socket from, Socket to) {
      byte[] buffer = new byte[65536];
      try (InputStream in = from.getInputStream()) {
        OutputStream sink = to.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          sink.write(buffer, 0, n);
          sink.flush();
        }
      } catch (IOException e) {
        // the other side closed
      } finally {
        try {
          to.shutdownOutput();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }

    @Override
    public void close() {
      try {
        server.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      synchronized (open) {
        for (Socket socket : open) {
          try {
            socket.close();
          } catch (IOException ignored) {
            // closing anyway
          }
        }
      }
      pumps.shutdownNow();
    }
  }
}
