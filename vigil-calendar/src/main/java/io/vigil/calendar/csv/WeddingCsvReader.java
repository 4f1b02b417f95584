package io.vigil.calendar.csv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.vigil.core.wedding.Wedding;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads weddings from a CSV file in the format {@link CsvColumn} describes, one row at a time, within
 * {@link CsvLimits}. Rows with mistakes become {@link CsvProblem}s and the rest are still read; a file that cannot be
 * read as a whole (empty, no header, malformed, truncated, binary, over a limit) throws {@link CsvImportException}.
 * Thread-safe: each call reads on its own.
 */
public final class WeddingCsvReader {
    private final CsvLimits limits;
    private final CsvFactory factory;

    /** A reader with {@link CsvLimits#DEFAULT}. */
    public WeddingCsvReader() {
        this(CsvLimits.DEFAULT);
    }

    /** A reader with the given limits. */
    public WeddingCsvReader(CsvLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.factory = CsvFactory.builder()
                .enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                // Jackson stops buffering an oversized value as soon as it passes the limit.
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(limits.maxFieldChars()).build())
                .build();
    }

    /** The limits this reader enforces. */
    public CsvLimits limits() {
        return limits;
    }

    /**
     * Reads a whole CSV file; the stream is not closed.
     *
     * @throws CsvImportException when the file cannot be imported as a whole
     * @throws IOException when the stream fails
     */
    public CsvImport read(InputStream in) throws IOException {
        return read(in, Integer.MAX_VALUE, CsvProgress.NONE);
    }

    /**
     * Reads a whole CSV file, calling {@code progress} after every {@code progressEvery} rows and once at the end with
     * the totals; the stream is not closed.
     *
     * @throws CsvImportException when the file cannot be imported as a whole
     * @throws IOException when the stream fails
     */
    public CsvImport read(InputStream in, int progressEvery, CsvProgress progress) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(progress, "progress");
        if (progressEvery < 1) {
            throw new IllegalArgumentException("progressEvery must be at least 1 but was " + progressEvery);
        }
        CountingInputStream counted = new CountingInputStream(in, limits.maxBytes());
        // Malformed UTF-8 becomes U+FFFD, which the row check reports with its line (an exception from the decoder
        // would only know how far the parser had got).
        Reader reader;
        try {
            reader = withoutByteOrderMark(new InputStreamReader(counted, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw counted.overLimit() ? tooLarge(1) : e;
        }
        try (CsvParser parser = (CsvParser) factory.createParser(reader)) {
            return new Run(parser, counted, progressEvery, progress).read();
        }
    }

    private CsvImportException tooLarge(int line) {
        return new CsvImportException(line, "the file is larger than " + limits.maxBytes()
                + " bytes, so reading stopped; split it into smaller files");
    }

    private static Reader withoutByteOrderMark(Reader reader) throws IOException {
        PushbackReader pushback = new PushbackReader(reader, 1);
        int first = pushback.read();
        if (first >= 0 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    /** The state of one read. */
    private final class Run {
        private final CsvParser parser;
        private final CountingInputStream counted;
        private final int progressEvery;
        private final CsvProgress progress;
        private final List<CsvWedding> weddings = new ArrayList<>();
        private final List<CsvProblem> problems = new ArrayList<>();
        private final List<String> notices = new ArrayList<>();
        private final Map<String, Integer> lineOfId = new HashMap<>();
        private CsvHeader header;
        private boolean insideFile;
        private int rowLine = 1;
        private int position;
        private long rows;
        private long reportedRows = -1;
        private long reportedBytes = -1;

        Run(CsvParser parser, CountingInputStream counted, int progressEvery, CsvProgress progress) {
            this.parser = parser;
            this.counted = counted;
            this.progressEvery = progressEvery;
            this.progress = progress;
        }

        CsvImport read() throws IOException {
            try {
                return readFile();
            } catch (CsvImportException e) {
                throw e;
            } catch (StreamConstraintsException e) {
                throw new CsvImportException(rowLine, "a value in " + columnName() + " is longer than "
                        + limits.maxFieldChars() + " characters; shorten it, or close the quoted value before it");
            } catch (JsonProcessingException e) {
                // Jackson's own message is not passed on: it may quote the file.
                throw malformed(e);
            } catch (IOException e) {
                throw counted.overLimit() ? tooLarge(rowLine) : e;
            }
        }

        private CsvImport readFile() throws IOException {
            List<String> first = nextRow();
            while (first != null && isBlank(first)) {
                first = nextRow();
            }
            if (first == null) {
                throw new CsvImportException(1, (rowLine > 1 ? "the file has only blank lines" : "the file is empty")
                        + "; a wedding CSV file starts with a header row such as " + CsvColumn.fullHeader());
            }
            header = CsvHeader.parse(rowLine, first);
            notices.addAll(header.notices());
            for (List<String> row = nextRow(); row != null; row = nextRow()) {
                if (isBlank(row)) {
                    continue;
                }
                if (rows == limits.maxRows()) {
                    throw new CsvImportException(rowLine, "the file has more than " + limits.maxRows()
                            + " wedding rows; split it into files of at most " + limits.maxRows() + " rows");
                }
                rows++;
                importRow(row);
                if (rows % progressEvery == 0) {
                    report();
                }
            }
            report();
            if (rows == 0) {
                notices.add("the file has a header but no wedding rows");
            }
            return new CsvImport(weddings, problems, notices, rows, counted.count());
        }

        private void importRow(List<String> row) {
            if (row.size() > header.size() && !isBlank(row.subList(header.size(), row.size()))) {
                problems.add(new CsvProblem(rowLine, null, "the row has " + row.size() + " values but the header"
                        + " names " + header.size() + " columns; quote values that contain commas"));
                return;
            }
            Map<CsvColumn, String> values = header.valuesOf(row);
            int problemsBefore = problems.size();
            String id = values.get(CsvColumn.ID);
            if (WeddingRowParser.isId(id)) {
                Integer earlier = lineOfId.putIfAbsent(id, rowLine);
                if (earlier != null) {
                    problems.add(new CsvProblem(rowLine, CsvColumn.ID.header(), "id " + Quote.of(id)
                            + " is already used on line " + earlier + "; each wedding needs its own id"));
                }
            }
            Wedding wedding = WeddingRowParser.parse(rowLine, values, problems);
            if (wedding != null && problems.size() == problemsBefore) {
                weddings.add(new CsvWedding(rowLine, wedding));
            }
        }

        /** The next row's values, or null at the end of the file; sets {@link #rowLine} to the line it starts on. */
        private List<String> nextRow() throws IOException {
            rowLine = parser.currentLocation().getLineNr();
            position = 0;
            JsonToken token = parser.nextToken();
            if (!insideFile && token == JsonToken.START_ARRAY) {
                // WRAP_AS_ARRAY wraps the whole file in one array, each row in another.
                insideFile = true;
                token = parser.nextToken();
            }
            if (token != JsonToken.START_ARRAY) {
                return null;
            }
            List<String> values = new ArrayList<>();
            for (token = parser.nextToken(); token == JsonToken.VALUE_STRING; token = parser.nextToken()) {
                if (values.isEmpty()) {
                    rowLine = parser.currentTokenLocation().getLineNr();
                }
                if (values.size() == limits.maxColumns()) {
                    throw new CsvImportException(rowLine, "the line has more than " + limits.maxColumns()
                            + " values; a wedding CSV file has " + CsvColumn.values().length + " columns and at most "
                            + limits.maxColumns() + " are read (is the file separated by commas?)");
                }
                String value = parser.getText();
                requireText(value);
                values.add(value);
                position = values.size();
            }
            return values;
        }

        /**
         * Stops at control characters and U+FFFD (what the decoder makes of bytes that are not UTF-8): a binary file
         * or another encoding, which would otherwise be imported as garbage.
         */
        private void requireText(String value) throws CsvImportException {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\uFFFD' || c == 0x7F || c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                    throw new CsvImportException(rowLine, columnName() + " holds binary data or text that is not"
                            + " UTF-8; a wedding CSV file is UTF-8 text (save it as \"CSV UTF-8\")");
                }
            }
        }

        private String columnName() {
            return header == null ? "the header" : "column " + header.nameAt(position);
        }

        private CsvImportException malformed(JsonProcessingException e) {
            int at = e.getLocation() != null && e.getLocation().getLineNr() > 0 ? e.getLocation().getLineNr() : rowLine;
            String original = e.getOriginalMessage();
            if (original != null && original.startsWith("Missing closing quote")) {
                return new CsvImportException(rowLine, "a quoted value on this row is never closed: the file ends"
                        + " inside it (at line " + at + "). The file may be truncated, or a quote inside a value is"
                        + " not written twice (\"\")");
            }
            return new CsvImportException(rowLine, "the row is not valid CSV (near line " + at + "): a closing quote"
                    + " must be followed by a comma or the end of the line, and a quote inside a quoted value is"
                    + " written twice (\"\")");
        }

        private void report() {
            long bytes = counted.count();
            if (rows != reportedRows || bytes != reportedBytes) {
                progress.progress(rows, bytes);
                reportedRows = rows;
                reportedBytes = bytes;
            }
        }

        private static boolean isBlank(List<String> values) {
            return values.stream().allMatch(String::isBlank);
        }
    }
}
