package org.cxrclip.train.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: comma-separated, fields optionally double-quoted, "" inside quotes for a quote, newlines
 * allowed inside quotes, CRLF or LF line ends, a UTF-8 byte-order mark ignored, gzip when the name ends in .gz.
 * Errors name the file and line.
 */
public final class Csv {
    private Csv() {}

    /** A parsed table: the header and the rows (each padded or checked to the header's width). */
    public record Table(Path file, List<String> header, List<List<String>> rows, List<Integer> lineNumbers) {
        public int column(String name) {
            return header.indexOf(name);
        }
    }

    /** Opens {@code file} as UTF-8 text, gunzipping it when its name ends in .gz (MIMIC ships .csv.gz). */
    static BufferedReader open(Path file) throws IOException {
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz"))
            return new BufferedReader(new java.io.InputStreamReader(
                    new java.util.zip.GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8), 1 << 16);
        return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }

    public static Table read(Path file) throws IOException {
        List<List<String>> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        try (BufferedReader r = open(file)) {
            int line = 1;
            StringBuilder field = new StringBuilder();
            List<String> record = new ArrayList<>();
            boolean quoted = false, fieldStarted = false, first = true;
            int recordLine = 1;
            int c;
            while ((c = r.read()) != -1) {
                if (first && c == 0xFEFF) {
                    first = false;
                    continue;
                }
                first = false;
                if (quoted) {
                    if (c == '"') {
                        r.mark(1);
                        int n = r.read();
                        if (n == '"') field.append('"');
                        else {
                            quoted = false;
                            if (n != -1) r.reset();
                        }
                    } else {
                        if (c == '\n') line++;
                        field.append((char) c);
                    }
                    continue;
                }
                switch (c) {
                    case '"' -> {
                        if (field.length() > 0)
                            throw new IOException(file + ":" + line + ": quote inside an unquoted field");
                        quoted = true;
                        fieldStarted = true;
                    }
                    case ',' -> {
                        record.add(field.toString());
                        field.setLength(0);
                        fieldStarted = true;
                    }
                    case '\r' -> { }
                    case '\n' -> {
                        if (fieldStarted || field.length() > 0 || !record.isEmpty()) {
                            record.add(field.toString());
                            records.add(record);
                            lines.add(recordLine);
                        }
                        record = new ArrayList<>();
                        field.setLength(0);
                        fieldStarted = false;
                        line++;
                        recordLine = line;
                    }
                    default -> field.append((char) c);
                }
            }
            if (quoted) throw new IOException(file + ":" + recordLine + ": unterminated quoted field");
            if (fieldStarted || field.length() > 0 || !record.isEmpty()) {
                record.add(field.toString());
                records.add(record);
                lines.add(recordLine);
            }
        }
        if (records.isEmpty()) throw new IOException(file + ": empty CSV (no header)");
        List<String> header = records.remove(0);
        lines.remove(0);
        for (int i = 0; i < header.size(); i++) header.set(i, header.get(i).trim());
        for (int i = 0; i < records.size(); i++) {
            List<String> row = records.get(i);
            if (row.size() != header.size())
                throw new IOException(file + ":" + lines.get(i) + ": " + row.size() + " fields, the header has "
                        + header.size());
        }
        return new Table(file, List.copyOf(header), records, lines);
    }
}
