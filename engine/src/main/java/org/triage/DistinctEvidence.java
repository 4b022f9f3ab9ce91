package org.triage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.triage.source.Sources;

/**
 * The evidence items of a scan, each once. The same directory or image can be named several ways
 * ({@code ev}, {@code ./ev}, {@code ev/}, a symbolic link to it, another segment of the same
 * split image): scanned under each name it would be read twice and ranked twice. Items are told
 * apart by what they are, not by how they are spelt: the device and inode of the item (of its
 * first segment for a split or EWF image), symbolic links followed like the scan follows them.
 * The first name given is kept; each later one becomes a note.
 *
 * @param items the names to scan, in the order given, each item once
 * @param notes one sentence per name left out, saying which kept name it is the same as
 */
record DistinctEvidence(List<String> items, List<String> notes) {

    static DistinctEvidence of(List<String> given) {
        List<String> items = new ArrayList<>(given.size());
        List<String> notes = new ArrayList<>();
        Map<Object, String> seen = new HashMap<>();
        for (String name : given) {
            Object key = identity(name);
            String first = key == null ? null : seen.putIfAbsent(key, name);
            if (first == null) {
                items.add(name);
            } else {
                notes.add("'" + name + "' is the same evidence as '" + first + "': scanned once");
            }
        }
        return new DistinctEvidence(List.copyOf(items), List.copyOf(notes));
    }

    /** The device and inode behind a name, or null when it cannot be told (the scan then says why it cannot open it). */
    private static Object identity(String name) {
        try {
            List<Path> files = Sources.files(name);
            Path first = files.isEmpty() ? Path.of(name) : files.get(0);
            return Files.readAttributes(first, BasicFileAttributes.class).fileKey();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
