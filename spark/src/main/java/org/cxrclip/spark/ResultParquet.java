package org.cxrclip.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The Parquet layout of batch-inference results, one row per manifest row: {@code row} (0-based manifest row),
 * {@code image} (the path as resolved from the manifest), {@code embedding} (array of float: the projected
 * image features before L2 normalisation, as {@code cxrclip embed} writes them; null when unreadable),
 * {@code error} (why the image could not be read, else null) and, for zero-shot, one float column
 * {@code score_<label>} per label (non-alphanumerics of the label replaced by '_').
 */
final class ResultParquet {
    private final MessageType schema;
    private final List<String> scoreColumns;

    ResultParquet(List<String> labels) {
        this.scoreColumns = scoreColumns(labels);
        StringBuilder b = new StringBuilder("message cxrclip_result {\n  required int64 row;\n  required binary image (STRING);\n"
                + "  optional group embedding (LIST) {\n    repeated group list {\n      required float element;\n    }\n  }\n"
                + "  optional binary error (STRING);\n");
        for (String c : scoreColumns) b.append("  optional float ").append(c).append(";\n");
        this.schema = MessageTypeParser.parseMessageType(b.append("}\n").toString());
    }

    static List<String> scoreColumns(List<String> labels) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String l : labels) {
            String c = "score_" + l.replaceAll("[^A-Za-z0-9_]", "_");
            if (!seen.add(c)) throw new IllegalArgumentException("labels give the same column " + c + " twice (labels: " + labels + ")");
            out.add(c);
        }
        return out;
    }

    /** One written row: features (dim floats at offset) and scores (L floats at offset) are null for an error row. */
    interface Rows {
        int count();

        long row(int i);

        String image(int i);

        /** Null when the image was embedded. */
        String error(int i);

        float embedding(int i, int d);

        float score(int i, int label);
    }

    void write(Path file, Rows rows, int dim, Configuration conf) throws IOException {
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf)).withConf(conf)
                .withType(schema).withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
            for (int i = 0; i < rows.count(); i++) {
                Group g = groups.newGroup().append("row", rows.row(i)).append("image", rows.image(i));
                String err = rows.error(i);
                if (err != null) {
                    g.append("error", err);
                } else {
                    Group list = g.addGroup("embedding");
                    for (int d = 0; d < dim; d++) list.addGroup("list").append("element", rows.embedding(i, d));
                    for (int l = 0; l < scoreColumns.size(); l++) g.append(scoreColumns.get(l), rows.score(i, l));
                }
                w.write(g);
            }
        }
    }
}
