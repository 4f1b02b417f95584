package io.vigil.server.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.engine.EngineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The YAML configuration file ({@code --config FILE}); every section and field is optional. See
 * {@code docs/configuration.md} for the full reference.
 *
 * @param server HTTP settings
 * @param storage storage engine settings
 * @param auth API keys
 * @param export exporters (docs/export.md)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record VigilConfig(Server server, Storage storage, Auth auth, Calendar calendar, Alerting alerting,
                          io.vigil.notify.config.NotificationsConfig notifications,
                          io.vigil.export.config.ExportConfig export) {

    public static final VigilConfig DEFAULTS = new VigilConfig(null, null, null, null, null, null, null);

    /** A config without an export section (no exporter; {@code /metrics} served). */
    public VigilConfig(Server server, Storage storage, Auth auth, Calendar calendar, Alerting alerting,
                       io.vigil.notify.config.NotificationsConfig notifications) {
        this(server, storage, auth, calendar, alerting, notifications, null);
    }

    /** A config without an alerting section (the built-in default rules) and no notification receivers. */
    public VigilConfig(Server server, Storage storage, Auth auth, Calendar calendar) {
        this(server, storage, auth, calendar, null, null);
    }

    public VigilConfig {
        notifications = notifications == null ? io.vigil.notify.config.NotificationsConfig.NONE : notifications;
        export = export == null ? io.vigil.export.config.ExportConfig.NONE : export;
        alerting = alerting == null ? new Alerting(null) : alerting;
        calendar = calendar == null ? new Calendar(null, null, null, null, null, null) : calendar;
        server = server == null ? new Server(null, null, null, null) : server;
        storage = storage == null ? new Storage(null, null, null, null, null, null, null, null) : storage;
        auth = auth == null ? new Auth(List.of()) : auth;
    }

    /**
     * @param port HTTP port, default 7070
     * @param bind address to bind, default 127.0.0.1
     * @param maxBodyBytes largest request body, compressed or not, default 20 MiB (the OTLP recommendation)
     * @param maxConcurrentIngest ingest requests decoded at once, default 4 per core; more wait up to 5 s, then get
     *     503 with Retry-After
     */
    public record Server(Integer port, String bind, Long maxBodyBytes, Integer maxConcurrentIngest) {
        public Server {
            maxConcurrentIngest = maxConcurrentIngest == null
                    ? 4 * Runtime.getRuntime().availableProcessors() : maxConcurrentIngest;
            if (maxConcurrentIngest < 1 || maxConcurrentIngest > 10_000) {
                throw new IllegalArgumentException("server.maxConcurrentIngest was " + maxConcurrentIngest
                        + " but it must be between 1 and 10000");
            }
            port = port == null ? 7070 : port;
            bind = bind == null ? "127.0.0.1" : bind;
            maxBodyBytes = maxBodyBytes == null ? 20L << 20 : maxBodyBytes;
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("server.port was " + port + " but it must be between 0 and 65535");
            }
            if (maxBodyBytes < 1024 || maxBodyBytes > 512L << 20) {
                throw new IllegalArgumentException("server.maxBodyBytes was " + maxBodyBytes
                        + " but it must be between 1024 and 536870912");
            }
        }
    }

    /**
     * @param backend {@code embedded} (default: SQLite in the data directory) or {@code postgres} (several nodes
     *     sharing one PostgreSQL database, see {@code docs/deploy-postgres.md})
     * @param postgres connection settings when {@code backend} is {@code postgres}
     * @param seriesLimitPerMetric default 50000
     * @param flushInterval default 10s
     * @param retentionTenSeconds default 7d
     * @param retentionOneMinute default 90d
     * @param retentionOneHour default 730d
     * @param walSegmentBytes default 64 MiB
     */
    public record Storage(String backend, Postgres postgres, Integer seriesLimitPerMetric, String flushInterval,
                          String retentionTenSeconds, String retentionOneMinute, String retentionOneHour,
                          Long walSegmentBytes) {

        public Storage {
            backend = backend == null ? "embedded" : backend;
            if (!backend.equals("embedded") && !backend.equals("postgres")) {
                throw new IllegalArgumentException("storage.backend was '" + backend
                        + "' but it must be embedded or postgres");
            }
            postgres = postgres == null ? new Postgres(null, null, null, null, null) : postgres;
        }

        /** {@code storage: postgres} (or {@code embedded}) in the file: that backend with every other default. */
        @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
        static Storage ofBackend(String backend) {
            return new Storage(backend, null, null, null, null, null, null, null);
        }

        public boolean isPostgres() {
            return backend.equals("postgres");
        }

        /** The engine settings these describe, validated. */
        public EngineConfig engineConfig() {
            EngineConfig d = EngineConfig.DEFAULTS;
            return new EngineConfig(
                    seriesLimitPerMetric == null ? d.seriesLimitPerMetric() : seriesLimitPerMetric,
                    flushInterval == null ? d.flushInterval() : DurationText.parse("storage.flushInterval", flushInterval),
                    walSegmentBytes == null ? d.walSegmentBytes() : walSegmentBytes,
                    retentionTenSeconds == null ? d.retentionTenSeconds()
                            : DurationText.parse("storage.retentionTenSeconds", retentionTenSeconds),
                    retentionOneMinute == null ? d.retentionOneMinute()
                            : DurationText.parse("storage.retentionOneMinute", retentionOneMinute),
                    retentionOneHour == null ? d.retentionOneHour()
                            : DurationText.parse("storage.retentionOneHour", retentionOneHour),
                    d.downsampleLag());
        }
    }

    /**
     * PostgreSQL connection settings; each may instead come from the environment. The password is never logged.
     *
     * @param url JDBC URL {@code jdbc:postgresql://host:port/database}; else {@code VIGIL_POSTGRES_URL}
     * @param user database role; else {@code VIGIL_POSTGRES_USER}
     * @param password the password itself (prefer {@code passwordEnv})
     * @param passwordEnv the environment variable holding the password; default {@code VIGIL_POSTGRES_PASSWORD}
     * @param maxPoolSize pooled connections per node, default 8
     */
    public record Postgres(String url, String user, String password, String passwordEnv, Integer maxPoolSize) {
        public Postgres {
            passwordEnv = passwordEnv == null ? "VIGIL_POSTGRES_PASSWORD" : passwordEnv;
            maxPoolSize = maxPoolSize == null ? 8 : maxPoolSize;
            if (maxPoolSize < 2 || maxPoolSize > 200) {
                throw new IllegalArgumentException("storage.postgres.maxPoolSize was " + maxPoolSize
                        + " but it must be between 2 and 200");
            }
        }

        /** The URL from the config, else from {@code VIGIL_POSTGRES_URL}; null when neither is set. */
        public String url(java.util.Map<String, String> env) {
            return url != null ? url : env.get("VIGIL_POSTGRES_URL");
        }

        public String user(java.util.Map<String, String> env) {
            return user != null ? user : env.get("VIGIL_POSTGRES_USER");
        }

        public String password(java.util.Map<String, String> env) {
            return password != null ? password : env.get(passwordEnv);
        }

        @Override
        public String toString() {
            return "Postgres[url=" + (url == null ? "(from environment)" : "(set)") + ", user=" + user + ", password=" + (password == null ? "(none)" : "***")
                    + ", passwordEnv=" + passwordEnv + ", maxPoolSize=" + maxPoolSize + "]";
        }
    }

    /**
     * The wedding calendar (see docs/calendar.md).
     *
     * @param timeZone the platform's home zone, in which season and peak days are judged; default UTC
     * @param upcomingHorizon how far ahead a wedding counts as upcoming; default 24h
     * @param monitoringEnabled {@code monitoring_enabled}, default true
     * @param weddingDayEnhancedMonitoring {@code wedding_day_enhanced_monitoring}, default true
     * @param predictiveScalingEnabled {@code predictive_scaling_enabled}, default true
     * @param feeds iCalendar feeds polled for weddings
     */
    public record Calendar(String timeZone, String upcomingHorizon,
                           @com.fasterxml.jackson.annotation.JsonProperty("monitoring_enabled") Boolean monitoringEnabled,
                           @com.fasterxml.jackson.annotation.JsonProperty("wedding_day_enhanced_monitoring")
                           Boolean weddingDayEnhancedMonitoring,
                           @com.fasterxml.jackson.annotation.JsonProperty("predictive_scaling_enabled")
                           Boolean predictiveScalingEnabled,
                           List<Feed> feeds) {

        public Calendar {
            feeds = feeds == null ? List.of() : List.copyOf(feeds);
        }

        /** The calendar settings these describe, validated. */
        public io.vigil.calendar.CalendarSettings settings() {
            io.vigil.calendar.CalendarSettings d = io.vigil.calendar.CalendarSettings.DEFAULTS;
            java.time.ZoneId zone;
            try {
                zone = timeZone == null ? d.timeZone() : java.time.ZoneId.of(timeZone);
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("calendar.timeZone was '" + timeZone
                        + "' but it must be an IANA time zone id such as Europe/London");
            }
            return new io.vigil.calendar.CalendarSettings(zone,
                    upcomingHorizon == null ? d.upcomingHorizon()
                            : DurationText.parse("calendar.upcomingHorizon", upcomingHorizon),
                    monitoringEnabled == null ? d.monitoringEnabled() : monitoringEnabled,
                    weddingDayEnhancedMonitoring == null ? d.weddingDayEnhancedMonitoring() : weddingDayEnhancedMonitoring,
                    predictiveScalingEnabled == null ? d.predictiveScalingEnabled() : predictiveScalingEnabled);
        }
    }

    /**
     * An iCalendar feed of weddings, polled on a schedule (see docs/calendar.md).
     *
     * @param name names the feed in health reports and in the weddings' source ({@code ics:<name>})
     * @param url the feed's http(s) URL; or
     * @param urlEnv the environment variable holding it (a URL with a token in it is a secret)
     * @param interval how often it is fetched; default 15m, at least 1m
     */
    public record Feed(String name, String url, String urlEnv, String interval) {
        /** The polling interval, validated. */
        public java.time.Duration pollInterval() {
            java.time.Duration d = interval == null ? java.time.Duration.ofMinutes(15)
                    : DurationText.parse("calendar.feeds." + name + ".interval", interval);
            if (d.compareTo(java.time.Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("calendar.feeds." + name + ".interval was " + interval
                        + " but it must be at least 1m");
            }
            return d;
        }

        /** The URL from the config or its environment variable; null when neither is set. */
        public String url(java.util.Map<String, String> env) {
            return url != null ? url : urlEnv == null ? null : env.get(urlEnv);
        }

        @Override
        public String toString() {
            return "Feed[" + name + "]";
        }
    }

    /**
     * Alerting (see docs/alerting.md).
     *
     * @param rulesFile a YAML file of rules replacing the built-in default rules; relative to the working directory
     */
    public record Alerting(String rulesFile) {}

    /** @param keys the API keys; see {@link ApiKeyConfig} */
    public record Auth(List<ApiKeyConfig> keys) {
        public Auth {
            keys = keys == null ? List.of() : List.copyOf(keys);
        }
    }

    /**
     * One API key. Exactly one of {@code key} (the key itself), {@code keyEnv} (the name of an environment variable
     * holding it) or {@code sha256} (hex SHA-256 of the key, so the file holds no secret) is given.
     *
     * @param name a label for logs and errors (never the key)
     * @param roles any of {@code ingest}, {@code read}, {@code admin}
     */
    public record ApiKeyConfig(String name, String key, String keyEnv, String sha256, List<String> roles) {}

    /**
     * Reads and validates a config file; every problem is reported at once.
     *
     * @throws IllegalArgumentException naming the file and what is wrong
     */
    public static VigilConfig load(Path file) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        VigilConfig config;
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
                return DEFAULTS;
            }
            config = yaml.readValue(bytes, VigilConfig.class);
        } catch (IOException e) {
            String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                    ? jpe.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("config file " + file + " cannot be read: " + msg, e);
        }
        if (config == null) {
            return DEFAULTS;
        }
        List<String> problems = new ArrayList<>();
        try {
            config.storage().engineConfig();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        try {
            config.calendar().settings();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        problems.addAll(config.notifications().problems());
        java.util.Set<String> feedNames = new java.util.HashSet<>();
        for (int i = 0; i < config.calendar().feeds().size(); i++) {
            Feed f = config.calendar().feeds().get(i);
            if (f.name() == null || !f.name().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
                problems.add("calendar.feeds[" + i + "].name must be 1-63 letters, digits, '.', '_' or '-'");
            } else if (!feedNames.add(f.name())) {
                problems.add("calendar.feeds[" + i + "].name '" + f.name() + "' is used twice");
            }
            if ((f.url() == null) == (f.urlEnv() == null)) {
                problems.add("calendar.feeds[" + i + "] must have exactly one of url, urlEnv");
            } else if (f.url() != null && !f.url().matches("(?i)https?://.+")) {
                problems.add("calendar.feeds[" + i + "].url must be an http:// or https:// URL");
            }
            try {
                f.pollInterval();
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        for (int i = 0; i < config.auth().keys().size(); i++) {
            ApiKeyConfig k = config.auth().keys().get(i);
            int given = (k.key() != null ? 1 : 0) + (k.keyEnv() != null ? 1 : 0) + (k.sha256() != null ? 1 : 0);
            if (given != 1) {
                problems.add("auth.keys[" + i + "] must have exactly one of key, keyEnv, sha256");
            }
            if (k.roles() == null || k.roles().isEmpty()) {
                problems.add("auth.keys[" + i + "].roles is empty but it must list ingest, read and/or admin");
            } else {
                for (String r : k.roles()) {
                    if (!List.of("ingest", "read", "admin").contains(r)) {
                        problems.add("auth.keys[" + i + "].roles has '" + r + "' but roles are ingest, read, admin");
                    }
                }
            }
            if (k.sha256() != null && !k.sha256().matches("[0-9a-fA-F]{64}")) {
                problems.add("auth.keys[" + i + "].sha256 must be 64 hex digits");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("config file " + file + " is invalid:\n  - " + String.join("\n  - ", problems));
        }
        return config;
    }
}
