package io.vigil.calendar.csv;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The header row of a wedding CSV file: which column sits at which position, and which are dropped. */
final class CsvHeader {
    private static final String REQUIRED_EXAMPLE = CsvColumn.required().stream().map(CsvColumn::header)
            .collect(Collectors.joining(","));

    private final List<String> names;
    private final Map<CsvColumn, Integer> positions;
    private final List<String> notices;

    private CsvHeader(List<String> names, Map<CsvColumn, Integer> positions, List<String> notices) {
        this.names = names;
        this.positions = positions;
        this.notices = notices;
    }

    /**
     * Reads the header cells. Unknown names are only ever repeated once the row is known to be a header, since a
     * file without one would otherwise have its first data row (names, emails) echoed back.
     */
    static CsvHeader parse(int line, List<String> cells) throws CsvImportException {
        List<String> names = cells.stream().map(c -> c.trim().toLowerCase(Locale.ROOT)).toList();
        Map<CsvColumn, Integer> positions = new EnumMap<>(CsvColumn.class);
        for (int i = 0; i < names.size(); i++) {
            Optional<CsvColumn> column = CsvColumn.forHeader(names.get(i));
            if (column.isPresent()) {
                Integer earlier = positions.putIfAbsent(column.get(), i);
                if (earlier != null) {
                    throw new CsvImportException(line, "column " + column.get().header() + " appears twice in the"
                            + " header (columns " + (earlier + 1) + " and " + (i + 1) + "); keep one of them");
                }
            }
        }
        List<String> missing = CsvColumn.required().stream().filter(c -> !positions.containsKey(c))
                .map(CsvColumn::header).toList();
        if (positions.isEmpty()) {
            boolean otherSeparator = cells.size() == 1 && (cells.get(0).contains(";") || cells.get(0).contains("\t"));
            throw new CsvImportException(line, "the first line is not a header: it names none of the wedding columns."
                    + " A wedding CSV file starts with a header row such as " + REQUIRED_EXAMPLE
                    + (otherSeparator ? "; the line seems separated by ; or tabs, but columns are separated by commas"
                    : ""));
        }
        if (!missing.isEmpty()) {
            throw new CsvImportException(line, "the header lacks the required column"
                    + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + "; a header names at least "
                    + REQUIRED_EXAMPLE);
        }
        Set<String> dropped = new LinkedHashSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (CsvColumn.forHeader(names.get(i)).isEmpty()) {
                dropped.add(names.get(i).isEmpty()
                        ? "column " + (i + 1) + " has no name in the header: its values were dropped and not stored"
                        : "column " + Quote.of(names.get(i)) + " is not a wedding column: its values were dropped and"
                        + " not stored");
            }
        }
        return new CsvHeader(names, positions, new ArrayList<>(dropped));
    }

    int size() {
        return names.size();
    }

    List<String> notices() {
        return notices;
    }

    /** How a message names the column at a position: {@code venue}, {@code 'couple_name'} or {@code number 14}. */
    String nameAt(int position) {
        if (position >= names.size()) {
            return "number " + (position + 1) + " (beyond the header)";
        }
        return CsvColumn.forHeader(names.get(position)).map(CsvColumn::header)
                .orElse(names.get(position).isEmpty() ? "number " + (position + 1) : Quote.of(names.get(position)));
    }

    /** The trimmed value of every wedding column in a row; empty for a missing or short column. */
    Map<CsvColumn, String> valuesOf(List<String> row) {
        Map<CsvColumn, String> values = new EnumMap<>(CsvColumn.class);
        for (CsvColumn column : CsvColumn.values()) {
            Integer position = positions.get(column);
            values.put(column, position != null && position < row.size() ? row.get(position).trim() : "");
        }
        return values;
    }
}
