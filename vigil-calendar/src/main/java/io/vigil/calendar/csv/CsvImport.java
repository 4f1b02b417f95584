package io.vigil.calendar.csv;

import io.vigil.core.wedding.Wedding;
import java.util.List;

/**
 * What a CSV import found: the valid weddings, the rows it could not import and why, and notices such as dropped
 * columns. An import with problems still holds its valid weddings; a caller wanting all-or-nothing checks
 * {@link #isClean()} first.
 *
 * @param weddings the valid weddings in file order, each with its line
 * @param problems why rows were not imported, in file order (a row may have several)
 * @param notices things the file's author may want to know that did not stop any row, such as a dropped column
 * @param rows wedding rows read after the header, valid or not (blank lines are not counted)
 * @param bytes bytes consumed from the input stream
 */
public record CsvImport(List<CsvWedding> weddings, List<CsvProblem> problems, List<String> notices, long rows,
                        long bytes) {

    public CsvImport {
        weddings = List.copyOf(weddings);
        problems = List.copyOf(problems);
        notices = List.copyOf(notices);
    }

    /** Whether every row was imported: no problems (notices do not count). */
    public boolean isClean() {
        return problems.isEmpty();
    }

    /** The valid weddings without their lines, ready for a store. */
    public List<Wedding> validWeddings() {
        return weddings.stream().map(CsvWedding::wedding).toList();
    }
}
