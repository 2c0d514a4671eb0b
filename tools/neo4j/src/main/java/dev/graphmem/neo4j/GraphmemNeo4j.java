package dev.graphmem.neo4j;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;

/**
 * Starts a real Neo4j 5.26 community server in this JVM with neo4j-harness:
 * Bolt and HTTP on fixed ports, Neo4j Browser at /browser/ (the neo4j-browser jar is on the
 * class path), auth on with user neo4j, and the store in a fixed folder kept across restarts.
 *
 * <p>Options (each also read from an environment variable; the flag wins):
 * <pre>
 *   --data DIR        GRAPHMEM_NEO4J_DATA       store folder, kept     (default: tools/neo4j/data)
 *   --run DIR         GRAPHMEM_NEO4J_RUN        logs + scratch folder  (default: tools/neo4j/run)
 *   --host HOST       GRAPHMEM_NEO4J_HOST       listen address         (default: 127.0.0.1)
 *   --bolt-port N     GRAPHMEM_NEO4J_BOLT_PORT  Bolt port              (default: 7687)
 *   --http-port N     GRAPHMEM_NEO4J_HTTP_PORT  HTTP/Browser port      (default: 7474)
 *   --password PW     GRAPHMEM_NEO4J_PASSWORD   initial password of neo4j (default: graphmem)
 *   --no-auth         GRAPHMEM_NEO4J_AUTH=false run with auth disabled
 *   --pid-file FILE                             write this JVM's pid there (removed on exit)
 * </pre>
 * Prints one line starting with {@code graphmem-neo4j ready} once Bolt and HTTP accept
 * connections; SIGTERM / SIGINT shut the server down cleanly.
 */
public final class GraphmemNeo4j {
    public static final String READY = "graphmem-neo4j ready";
    private static final String USER = "neo4j";

    private GraphmemNeo4j() {}

    public static void main(String[] args) throws Exception {
        Path toolDir = toolDir();
        Path data = Path.of(opt(args, "--data", "GRAPHMEM_NEO4J_DATA", toolDir.resolve("data").toString()))
                .toAbsolutePath().normalize();
        Path run = Path.of(opt(args, "--run", "GRAPHMEM_NEO4J_RUN", toolDir.resolve("run").toString()))
                .toAbsolutePath().normalize();
        String host = opt(args, "--host", "GRAPHMEM_NEO4J_HOST", "127.0.0.1");
        int boltPort = Integer.parseInt(opt(args, "--bolt-port", "GRAPHMEM_NEO4J_BOLT_PORT", "7687"));
        int httpPort = Integer.parseInt(opt(args, "--http-port", "GRAPHMEM_NEO4J_HTTP_PORT", "7474"));
        String password = opt(args, "--password", "GRAPHMEM_NEO4J_PASSWORD", "graphmem");
        boolean auth = !List.of(args).contains("--no-auth")
                && !"false".equalsIgnoreCase(System.getenv().getOrDefault("GRAPHMEM_NEO4J_AUTH", "true"));

        String pidFile = opt(args, "--pid-file", "GRAPHMEM_NEO4J_PID_FILE", "");
        Files.createDirectories(data);
        if (!pidFile.isEmpty()) {
            Path pf = Path.of(pidFile).toAbsolutePath();
            Files.createDirectories(pf.getParent());
            Files.writeString(pf, ProcessHandle.current().pid() + "\n");
            pf.toFile().deleteOnExit();
        }
        Path harnessDir = run.resolve("harness");
        Files.createDirectories(harnessDir);
        cleanStaleHarnessFolders(harnessDir);

        long t0 = System.nanoTime();
        log("starting Neo4j: data=" + data + " bolt=" + host + ":" + boltPort + " http=" + host + ":" + httpPort
                + " auth=" + auth);

        // The harness puts neo4j_home in a random folder under harnessDir (deleted on close) and,
        // by default, disables auth and uses random ports; everything that must persist is pointed
        // at fixed folders here, and ports/auth are overridden.
        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(harnessDir)
                .withConfig(GraphDatabaseSettings.data_directory, data)
                .withConfig(GraphDatabaseSettings.logs_directory, run.resolve("logs"))
                .withConfig(GraphDatabaseSettings.auth_enabled, auth)
                .withConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress(host, boltPort))
                .withConfig(BoltConnector.advertised_address, new SocketAddress(host, boltPort))
                .withConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .withConfig(HttpConnector.enabled, true)
                .withConfig(HttpConnector.listen_address, new SocketAddress(host, httpPort))
                .withConfig(HttpConnector.advertised_address, new SocketAddress(host, httpPort))
                .withConfig(HttpsConnector.enabled, false)
                // Bolt's netty event loops otherwise wait a 5 s quiet period each on shutdown (~10 s)
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean closing = new AtomicBoolean(false);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (closing.compareAndSet(false, true)) {
                log("stopping Neo4j ...");
                try {
                    neo4j.close();
                    log("stopped");
                } catch (RuntimeException e) {
                    log("error while stopping: " + e);
                }
            }
            stopped.countDown();
        }, "graphmem-neo4j-shutdown"));

        if (auth) {
            setInitialPassword(neo4j, password);
        }
        String version = serverVersion(neo4j.defaultDatabaseService());
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "%s in %.1fs: neo4j=%s bolt=bolt://%s:%d http=http://%s:%d/ browser=http://%s:%d/browser/"
                        + " user=%s auth=%s database=neo4j data=%s%n",
                READY, secs, version, host, boltPort, host, httpPort, host, httpPort, USER,
                auth ? "on" : "off", data);
        System.out.flush();
        stopped.await();
    }

    /**
     * With auth on, Neo4j creates user neo4j with password "neo4j" that must be changed before
     * use. Set it to the configured password once, on a fresh store; a password someone changed
     * later is left alone.
     */
    private static void setInitialPassword(Neo4j neo4j, String password) {
        GraphDatabaseService system = neo4j.databaseManagementService().database("system");
        Boolean changeRequired = system.executeTransactionally(
                "SHOW USERS YIELD user, passwordChangeRequired WHERE user = $user RETURN passwordChangeRequired",
                Map.of("user", USER),
                r -> r.hasNext() ? (Boolean) r.next().get("passwordChangeRequired") : null);
        if (changeRequired == null) {
            system.executeTransactionally(
                    "CREATE USER " + USER + " SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            log("created user " + USER);
        } else if (changeRequired) {
            system.executeTransactionally(
                    "ALTER USER " + USER + " SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            log("set the initial password of user " + USER);
        }
    }

    private static String serverVersion(GraphDatabaseService db) {
        return db.executeTransactionally(
                "CALL dbms.components() YIELD versions RETURN versions[0] AS v",
                Map.of(),
                r -> r.hasNext() ? String.valueOf(r.next().get("v")) : "?");
    }

    /** Random 32-hex-char neo4j_home folders left by a killed run (close() deletes them otherwise). */
    private static void cleanStaleHarnessFolders(Path harnessDir) throws IOException {
        try (Stream<Path> children = Files.list(harnessDir)) {
            for (Path child : children.toList()) {
                if (Files.isDirectory(child) && child.getFileName().toString().matches("[0-9a-f]{32}")) {
                    try (Stream<Path> walk = Files.walk(child)) {
                        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        }
    }

    /** tools/neo4j, found from this jar (tools/neo4j/target/graphmem-neo4j.jar or target/classes). */
    private static Path toolDir() {
        try {
            Path here = Path.of(GraphmemNeo4j.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = here.getParent();
            if (target != null && target.getFileName() != null
                    && target.getFileName().toString().equals("target") && target.getParent() != null) {
                return target.getParent();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        return Path.of("tools", "neo4j");
    }

    private static String opt(String[] args, String flag, String env, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(flag)) {
                return args[i + 1];
            }
        }
        String v = System.getenv(env);
        return v == null || v.isBlank() ? dflt : v;
    }

    private static void log(String msg) {
        System.out.println("graphmem-neo4j: " + msg);
        System.out.flush();
    }
}
