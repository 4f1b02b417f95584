package io.vigil.server.cli;

import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil serve}: runs a node until interrupted, on the embedded store or on PostgreSQL as the config says. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run a Vigil node (embedded store by default; storage.backend: postgres for several nodes).")
final class ServeCommand implements Runnable {
    @Option(names = "--data", description = "data directory (default: ./data)", defaultValue = "data")
    Path data;

    @Option(names = "--node-id", description = "this node's id among the nodes sharing a PostgreSQL database"
            + " (default: $VIGIL_NODE_ID, else node-1)")
    String nodeId;

    @Mixin
    ServerOptions options = new ServerOptions();

    @Override
    public void run() {
        VigilConfig config = options.loadConfig();
        String node = nodeId != null ? nodeId
                : System.getenv().getOrDefault("VIGIL_NODE_ID", VigilServer.DEFAULT_NODE_ID);
        VigilServer server = VigilServer.start(data, config, node, options.bind(config), options.port(config),
                System.getenv(), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "vigil-shutdown"));
        System.out.println("Vigil node " + node + " is listening on http://" + options.bind(config) + ":"
                + server.port());
        if (server.adminKeyFile() != null) {
            System.out.println("Admin API key written to " + server.adminKeyFile().toAbsolutePath()
                    + " (mode 0600); send it as 'Authorization: Bearer <key>'");
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
