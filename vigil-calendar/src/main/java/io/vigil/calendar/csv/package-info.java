/**
 * Importing the wedding calendar from CSV files: {@link io.vigil.calendar.csv.CsvColumn} describes the format and
 * {@link io.vigil.calendar.csv.WeddingCsvReader} reads it.
 */
package io.vigil.calendar.csv;
