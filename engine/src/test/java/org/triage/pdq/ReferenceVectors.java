package org.triage.pdq;

import org.triage.model.PdqHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PDQ reference vectors kept beside the project in {@code shared/pdq/} (never copied into it):
 * the ThreatExchange test pictures and what the C++ reference printed for each ({@code expected.tsv}),
 * and the README's dihedral list for {@code bridge-1-original}.
 */
public record ReferenceVectors(Path dir, List<Row> rows, Map<Dihedral, PdqHash> bridgeDihedrals) {
    static final String BRIDGE = "reg-test-input_dih_bridge-1-original.jpg";
    private static final Pattern DIHEDRAL_LINE = Pattern.compile("^(orig|rot90|rot180|rot270|flipx|flipy|flipp|flipm)\\s+([0-9a-f]{64})$");

    /** One line of expected.tsv. */
    public record Row(String file, PdqHash hash, int quality, String note) {
        /** The picture the reference hashed: a file of images/, or for the "(via PNG conversion)" rows the WebP it was made from. */
        public Path source(Path images) {
            Path p = images.resolve(file);
            if (Files.exists(p) || !file.endsWith(".png")) return p;
            return images.resolve(file.substring(0, file.length() - ".png".length()) + ".webp");
        }

        public boolean jpeg() {
            return file.endsWith(".jpg");
        }
    }

    public Path images() {
        return dir.resolve("images");
    }

    Row row(String file) {
        return rows.stream().filter(r -> r.file.equals(file)).findFirst()
                .orElseThrow(() -> new AssertionError(file + " is not in " + dir.resolve("expected.tsv")));
    }

    /**
     * Walks up from the working directory (a module's directory when Maven runs the tests) to the
     * first {@code shared/pdq} holding {@code expected.tsv}; null when there is none.
     */
    public static ReferenceVectors find() throws IOException {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("pdq");
            if (Files.isRegularFile(candidate.resolve("expected.tsv"))) return read(candidate);
        }
        return null;
    }

    private static ReferenceVectors read(Path dir) throws IOException {
        List<Row> rows = new ArrayList<>();
        Path tsv = dir.resolve("expected.tsv");
        List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        for (int n = 1; n < lines.size(); n++) { // line 1 is the header
            String line = lines.get(n);
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            if (f.length < 3) throw new IOException(tsv + ":" + (n + 1) + ": expected file, pdq_hex, quality, note: " + line);
            rows.add(new Row(f[0], PdqHash.parse(f[1]), Integer.parseInt(f[2]), f.length > 3 ? f[3] : ""));
        }
        Map<Dihedral, PdqHash> dihedrals = new EnumMap<>(Dihedral.class);
        for (String line : Files.readAllLines(dir.resolve("README.md"), StandardCharsets.UTF_8)) {
            Matcher m = DIHEDRAL_LINE.matcher(line.strip());
            if (m.matches()) dihedrals.put(dihedral(m.group(1)), PdqHash.parse(m.group(2)));
        }
        return new ReferenceVectors(dir, List.copyOf(rows), Map.copyOf(dihedrals));
    }

    /** The reference's names ({@code pdq-photo-hasher --pdqdih}). */
    private static Dihedral dihedral(String name) {
        return switch (name) {
            case "orig" -> Dihedral.ORIGINAL;
            case "rot90" -> Dihedral.ROTATE_90;
            case "rot180" -> Dihedral.ROTATE_180;
            case "rot270" -> Dihedral.ROTATE_270;
            case "flipx" -> Dihedral.FLIP_X;
            case "flipy" -> Dihedral.FLIP_Y;
            case "flipp" -> Dihedral.FLIP_PLUS_1;
            case "flipm" -> Dihedral.FLIP_MINUS_1;
            default -> throw new IllegalArgumentException(name);
        };
    }
}
