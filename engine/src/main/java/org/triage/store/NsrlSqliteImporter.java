package org.triage.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.triage.model.Algorithm;

/**
 * NIST NSRL RDS v3: a SQLite database whose {@code FILE} table has the columns {@code sha256, sha1,
 * md5, crc32, file_name, file_size, package_id} (hex in upper case). Opened read-only through
 * sqlite-jdbc and read in sha256 order ({@code ORDER BY sha256}, which RDS's primary key serves
 * without a sort), so the SHA-256 keys reach the partitioner already sorted; MD5 and SHA-1 keys go
 * through the usual partitioned sort. Rows repeat digests (one row per file per package): stored
 * once. Rows without any digest are skipped and counted in a warning. Errors name the file and the
 * row ({@code FILE row N}).
 */
final class NsrlSqliteImporter implements SetImporter {
    static final String FORMAT = "nsrl-rds3-sqlite";
    private static final String[] COLUMNS = {"sha256", "sha1", "md5"};
    private static final Algorithm[] ALGORITHMS = {Algorithm.SHA256, Algorithm.SHA1, Algorithm.MD5};
    private final String defaultCategory;
    private final byte[] digest = new byte[32];

    NsrlSqliteImporter(String defaultCategory) {
        this.defaultCategory = defaultCategory;
    }

    @Override
    public String read(Path file, ImportSink sink) throws IOException {
        int category = sink.category(defaultCategory);
        Properties p = new Properties();
        p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        long rows = 0;
        long empty = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), p);
             Statement st = c.createStatement()) {
            checkSchema(file, st);
            st.setFetchSize(10_000);
            try (ResultSet rs = st.executeQuery("SELECT sha256, sha1, md5 FROM FILE ORDER BY sha256")) {
                while (rs.next()) {
                    rows++;
                    boolean any = false;
                    for (int i = 0; i < COLUMNS.length; i++) {
                        String hex = rs.getString(i + 1);
                        Algorithm a = ALGORITHMS[i];
                        if (hex == null || hex.isEmpty()) continue;
                        any = true;
                        if (!HexDigits.decode(hex, a, digest)) {
                            throw new ImportException(file, 0, "FILE row " + rows + " (in sha256 order): " + COLUMNS[i] + " "
                                    + HexDigits.notADigest(a, hex));
                        }
                        sink.digest(a, digest, 0, category);
                    }
                    if (!any) empty++;
                }
            }
        } catch (SQLException e) {
            throw new ImportException(file, 0, "cannot read it as an NSRL RDS v3 SQLite database: " + e.getMessage());
        }
        sink.read(rows);
        if (rows == 0) throw new ImportException(file, 0, "the FILE table is empty");
        if (empty > 0) {
            // A damaged or hand-edited database; the rows can hold nothing to look up, but who skips rows says so.
            sink.warning(String.format(java.util.Locale.ROOT, "%,d of %,d FILE rows have no digest (sha256, sha1 and md5"
                    + " all empty) and were skipped", empty, rows));
        }
        return FORMAT;
    }

    private static void checkSchema(Path file, Statement st) throws SQLException, ImportException {
        StringBuilder have = new StringBuilder();
        try (ResultSet rs = st.executeQuery("SELECT name FROM pragma_table_info('FILE')")) {
            while (rs.next()) have.append(rs.getString(1).toLowerCase(java.util.Locale.ROOT)).append(',');
        }
        for (String col : COLUMNS) {
            if (!("," + have).contains("," + col + ",")) {
                throw new ImportException(file, 0, "not an NSRL RDS v3 database: no FILE table with the columns"
                        + " sha256, sha1, md5 (found: " + (have.length() == 0 ? "no FILE table" : have) + ")");
            }
        }
    }

    /** True when the file starts with SQLite's magic string. */
    static boolean isSqlite(byte[] head, int n) {
        byte[] magic = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
        if (n < magic.length) return false;
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) return false;
        }
        return true;
    }
}
