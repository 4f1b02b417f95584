package io.vigil.server.cli;

import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil serve}: runs a node on the embedded store until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run Vigil on the embedded store.")
final class ServeCommand implements Runnable {
    @Option(names = "--data", description = "data directory (default: ./data)", defaultValue = "data")
    Path data;

    @Mixin
    ServerOptions options = new ServerOptions();

    @Override
    public void run() {
        VigilConfig config = options.loadConfig();
        VigilServer server = VigilServer.start(data, config, options.bind(config), options.port(config),
                System.getenv(), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "vigil-shutdown"));
        System.out.println("Vigil is listening on http://" + options.bind(config) + ":" + server.port());
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
