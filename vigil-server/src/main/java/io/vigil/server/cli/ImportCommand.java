package io.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil import weddings FILE}: uploads a CSV or ICS calendar to a running Vigil
 * ({@code POST /api/v1/weddings/import}) with a progress bar, then prints what was applied and every problem with
 * its line. Exit status 0 when every row was applied, 1 when some were not (or {@code --strict} applied none),
 * 2 when the upload failed.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Import data into a running Vigil.",
        subcommands = ImportCommand.Weddings.class)
final class ImportCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "weddings", mixinStandardHelpOptions = true,
            description = "Import weddings from a CSV file (see docs/calendar.md for the columns) or an ICS file.")
    static final class Weddings implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "a .csv or .ics file")
        Path file;

        @picocli.CommandLine.Mixin
        ApiTarget target = new ApiTarget();

        @Option(names = "--strict", description = "all or nothing: apply no row if any row has a problem")
        boolean strict;

        @Option(names = "--format", description = "csv or ics (default: by the file's extension)")
        String format;

        @Override
        public Integer call() throws Exception {
            return run(System.out, System.err);
        }

        int run(PrintStream out, PrintStream err) throws IOException, InterruptedException {
            String type = contentType();
            String key = target.key();
            long size = Files.size(file);
            ProgressBar bar = new ProgressBar(err, size);
            HttpRequest request = HttpRequest.newBuilder(target.url.resolve("/api/v1/weddings/import" + (strict ? "?strict=true" : "")))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", type)
                    .timeout(Duration.ofMinutes(10))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> bar.counting(open())), size))
                    .build();
            HttpResponse<String> response;
            try {
                response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                        .send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                err.println();
                err.println("vigil import: cannot reach " + target.url + ": " + e.getMessage());
                return 2;
            }
            bar.finish();
            JsonNode answer;
            try {
                answer = new ObjectMapper().readTree(response.body());
            } catch (IOException e) {
                err.println("vigil import: " + target.url + " answered " + response.statusCode() + " with a body that is not JSON");
                return 2;
            }
            if (response.statusCode() != 200) {
                err.println("vigil import: " + response.statusCode() + ": " + answer.path("error").asText(response.body()));
                return answer.has("problems") ? print(answer, out) : 2;
            }
            return print(answer, out);
        }

        private int print(JsonNode answer, PrintStream out) {
            out.printf(Locale.ROOT, "%d weddings read, %d applied (%d new, %d updated, %d cancelled)%s%n",
                    answer.path("read").asLong(), answer.path("applied").asLong(), answer.path("created").asLong(),
                    answer.path("updated").asLong(), answer.path("cancelled").asLong(),
                    answer.path("strict").asBoolean() && answer.path("applied").asLong() == 0
                            && answer.path("problems").size() > 0 ? " (--strict: nothing applied)" : "");
            for (JsonNode n : answer.path("notices")) {
                out.println("notice: " + n.asText());
            }
            for (JsonNode p : answer.path("problems")) {
                out.println((p.hasNonNull("line") ? "line " + p.get("line").asLong() + ": " : "") + p.path("message").asText());
            }
            return answer.path("problems").isEmpty() ? 0 : 1;
        }

        private InputStream open() {
            try {
                return Files.newInputStream(file);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private String contentType() {
            String f = format != null ? format.toLowerCase(Locale.ROOT)
                    : file.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll(".*\\.", "");
            return switch (f) {
                case "csv" -> "text/csv";
                case "ics", "ical", "ifb", "icalendar" -> "text/calendar";
                default -> throw new IllegalArgumentException("cannot tell the format of " + file
                        + ": name it .csv or .ics, or give --format csv|ics");
            };
        }
    }
}
