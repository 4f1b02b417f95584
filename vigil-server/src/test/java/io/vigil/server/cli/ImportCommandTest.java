package io.vigil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil import weddings} against a real server. */
class ImportCommandTest {
    static final String KEY = "import-admin-key";

    @TempDir
    Path dir;
    VigilServer server;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() {
        server = VigilServer.start(dir.resolve("data"), VigilConfig.DEFAULTS, "127.0.0.1", 0,
                Map.of("VIGIL_API_KEY", KEY), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ImportCommand.Weddings command(Path file) throws Exception {
        Path keyFile = dir.resolve("key");
        Files.writeString(keyFile, KEY + "\n");
        ImportCommand.Weddings cmd = new ImportCommand.Weddings();
        cmd.file = file;
        cmd.target.url = URI.create("http://127.0.0.1:" + server.port());
        cmd.target.keyFile = keyFile;
        return cmd;
    }

    private int run(ImportCommand.Weddings cmd) throws Exception {
        return cmd.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void tenThousandRows_areImported_withAProgressBar() throws Exception {
        StringBuilder csv = new StringBuilder("id,time_zone,ceremony_start,reception_end,guest_count,venue\n");
        LocalDate day = LocalDate.of(2027, 5, 1);
        for (int i = 0; i < 10_000; i++) {
            LocalDate d = day.plusDays(i % 180);
            csv.append("season-").append(i).append(",Europe/London,").append(d).append("T14:00,").append(d)
                    .append("T23:00,").append(50 + i % 450).append(",Venue ").append(i % 37).append('\n');
        }
        Path file = dir.resolve("season.csv");
        Files.writeString(file, csv);

        int code = run(command(file));

        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains("10000 weddings read, 10000 applied (10000 new, 0 updated, 0 cancelled)");
        assertThat(err.toString()).contains("100%").contains("[" + "#".repeat(30) + "]");
    }

    @Test
    void badRows_arePrintedWithTheirLine_andStrictAppliesNothing() throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, """
                id,time_zone,ceremony_start,reception_end
                ok-1,Europe/London,2027-06-12T14:00,2027-06-12T23:00
                bad-1,Europe/London,2027-06-31T14:00,2027-06-31T23:00
                """);
        ImportCommand.Weddings strict = command(file);
        strict.strict = true;

        int strictCode = run(strict);
        String strictOut = out.toString();
        out.reset();
        int looseCode = run(command(file));

        assertThat(strictCode).isEqualTo(1);
        assertThat(strictOut).contains("0 applied").contains("--strict: nothing applied").contains("line 3: ");
        assertThat(looseCode).isEqualTo(1);
        assertThat(out.toString()).contains("2 weddings read, 1 applied (1 new").contains("line 3: ");
    }

    @Test
    void unknownFormat_andUnreachableServer_sayWhatIsWrong() throws Exception {
        Path file = dir.resolve("weddings.txt");
        Files.writeString(file, "x");
        ImportCommand.Weddings cmd = command(file);
        cmd.target.url = URI.create("http://127.0.0.1:1");

        assertThatThrownBy(() -> run(cmd)).hasMessageContaining("name it .csv or .ics");
        cmd.format = "csv";
        assertThat(run(cmd)).isEqualTo(2);
        assertThat(err.toString()).contains("cannot reach http://127.0.0.1:1");
    }
}
