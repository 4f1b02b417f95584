package io.vigil.server.cli;

import io.vigil.server.config.VigilConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by {@code serve} and {@code demo}. */
final class ServerOptions {
    @Option(names = "--port", description = "HTTP port (default: config file, else 7070)")
    Integer port;

    @Option(names = "--bind", description = "address to bind (default: config file, else 127.0.0.1)")
    String bind;

    @Option(names = "--config", description = "YAML configuration file (see docs/configuration.md)")
    Path config;

    VigilConfig loadConfig() {
        return config == null ? VigilConfig.DEFAULTS : VigilConfig.load(config);
    }

    int port(VigilConfig c) {
        return port != null ? port : c.server().port();
    }

    String bind(VigilConfig c) {
        return bind != null ? bind : c.server().bind();
    }
}
