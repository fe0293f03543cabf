package io.usersync.testing.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) run as a separate JVM, the way the README's
 * run command runs it. The child's environment carries no {@code QUARKUS_*}, {@code MP_*} or {@code USERSYNC_*}
 * variables unless given, so "no database configured" really means none. {@link #close()} stops it with
 * SIGTERM (graceful: Quarkus and the embedded MariaDB shut down), kills whatever is left after a grace period,
 * and records processes that outlived their parent; a JVM shutdown hook does the same if a test forgets.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^\\s:\"]+:(\\d+)");
    private static final Pattern MANAGEMENT = Pattern.compile("Management interface listening on http://[^\\s:\"]+:(\\d+)");
    private static final Duration STARTUP = Duration.ofMinutes(4);
    private static final Duration GRACE = Duration.ofSeconds(60);

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Set<ProcessHandle> children = new HashSet<>();
    private final List<ProcessHandle> survivors = new ArrayList<>();
    private final Thread hook;
    private volatile int port = -1;
    private volatile int managementPort = -1;

    private ServiceProcess(Process process) {
        this.process = process;
        Thread pump = new Thread(this::pump, "service-output-" + process.pid());
        pump.setDaemon(true);
        pump.start();
        hook = new Thread(this::stop, "service-stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The packaged application, as {@code ./mvnw package} builds it. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("usersync.it.jar", "target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: run ./mvnw package (verify does) first");
        }
        return jar;
    }

    /** The java launcher of this JVM (a JDK 21+, like the one the README asks for). */
    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /**
     * {@code java <javaOptions> -jar quarkus-run.jar <args>} in {@code workDir}. The management interface (health,
     * metrics) gets a free port unless the options name one, so parallel test JVMs never collide on 9000.
     */
    public static ServiceProcess start(Path workDir, List<String> javaOptions, Map<String, String> env,
            String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java());
        if (javaOptions.stream().noneMatch(o -> o.startsWith("-Dquarkus.management.port="))) {
            command.add("-Dquarkus.management.port=0");
        }
        command.addAll(javaOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        clean(builder.environment()).putAll(env);
        return new ServiceProcess(builder.start());
    }

    /** Runs a command of the jar to completion (e.g. {@code mint-token}) and returns its standard output. */
    public static String run(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        clean(builder.environment());
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("command " + List.of(args) + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("command " + List.of(args) + " failed with " + p.exitValue());
        }
        return out;
    }

    private static Map<String, String> clean(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("MP_") || k.startsWith("USERSYNC_")
                || k.startsWith("JAVA_TOOL_OPTIONS"));
        return env;
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.append(line).append('\n');
                Matcher management = MANAGEMENT.matcher(line);
                if (managementPort < 0 && management.find()) {
                    managementPort = Integer.parseInt(management.group(1));
                }
                Matcher m = LISTENING.matcher(line);
                if (port < 0 && m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
        } catch (IOException e) {
            output.append("[output closed: ").append(e.getMessage()).append("]\n");
        }
    }

    /** Waits until the service listens and returns its port; fails with the output if it dies first. */
    public int awaitPort() throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (port < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + output);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the service did not start listening:\n" + output);
            }
            Thread.sleep(200);
        }
        rememberChildren();
        return port;
    }

    /**
     * The port of the management interface ({@code /q/health/*}, {@code /q/metrics}), known once the service
     * listens ({@link #awaitPort()}); Quarkus announces it before the API port.
     */
    public int managementPort() {
        if (managementPort < 0) {
            throw new IllegalStateException("the service announced no management interface:\n" + output);
        }
        return managementPort;
    }

    /** Waits for the process to end by itself; empty if it is still running after the startup allowance. */
    public Optional<Integer> awaitExit() throws InterruptedException {
        return process.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS) ? Optional.of(process.exitValue())
                : Optional.empty();
    }

    public String output() {
        return output.toString();
    }

    public long pid() {
        return process.pid();
    }

    /** Child processes seen so far (the embedded MariaDB server, when there is one). */
    public Set<ProcessHandle> children() {
        rememberChildren();
        return Set.copyOf(children);
    }

    private void rememberChildren() {
        process.descendants().forEach(children::add);
    }

    /** Processes that were still alive after the service stopped (and were then killed). */
    public List<ProcessHandle> survivors() {
        return List.copyOf(survivors);
    }

    /** SIGTERM, wait, then SIGKILL for the service and anything it started; returns the exit code. */
    public synchronized int stop() {
        if (process.isAlive()) {
            rememberChildren();
            process.destroy();
            try {
                if (!process.waitFor(GRACE.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        for (ProcessHandle child : children) {
            // a stopping mariadbd may need a moment after its parent is gone
            child.onExit().completeOnTimeout(child, 20, TimeUnit.SECONDS).join();
            if (child.isAlive()) {
                survivors.add(child);
                child.destroyForcibly();
            }
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and runs the hook itself
        }
    }
}
