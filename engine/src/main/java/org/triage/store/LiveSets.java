package org.triage.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.triage.model.Algorithm;
import org.triage.model.HashSetInfo;
import org.triage.model.Match;

/**
 * The sets that are live at one moment, as lookups need them: an array indexed by set id (ids are
 * small and dense, and an array needs no boxing on the hot path) and, per set, its {@link Match}
 * objects built once, so that a hit costs no new Match. Immutable; a store swaps in a new instance
 * after each import, and each lookup reads the reference once.
 */
final class LiveSets {
    static final LiveSets EMPTY = new LiveSets(List.of());

    /** One live set with its prebuilt matches. */
    static final class LiveSet {
        final SetRecord record;
        final HashSetInfo info;
        /** By category code: 0 none, then the set's categories in order. */
        private final Match[] byCode;

        private LiveSet(SetRecord record) {
            this.record = record;
            this.info = record.info();
            List<String> cats = record.categories();
            byCode = new Match[cats.size() + 1];
            byCode[0] = new Match(record.name(), info.kind(), null);
            for (int i = 0; i < cats.size(); i++) byCode[i + 1] = new Match(record.name(), info.kind(), cats.get(i));
        }

        /** The match for one category code (0 for none); an unknown code counts as none. */
        Match match(int code) {
            return code > 0 && code < byCode.length ? byCode[code] : byCode[0];
        }

        /** The category text of a code, or "" for none. */
        String category(int code) {
            return code > 0 && code < byCode.length ? byCode[code].category() : "";
        }
    }

    private final LiveSet[] byId;
    private final Map<String, LiveSet> byName;
    private final List<HashSetInfo> infos;
    private final Set<Algorithm> algorithms;
    private final boolean[] present = new boolean[Algorithm.values().length];
    private final long pdqCount;

    LiveSets(List<SetRecord> records) {
        int max = 0;
        for (SetRecord r : records) max = Math.max(max, r.id());
        byId = new LiveSet[max + 1];
        TreeMap<String, LiveSet> names = new TreeMap<>();
        Set<Algorithm> algs = EnumSet.noneOf(Algorithm.class);
        for (SetRecord r : records) {
            LiveSet s = new LiveSet(r);
            byId[r.id()] = s;
            names.put(r.name(), s);
            algs.addAll(s.info.byAlgorithm().keySet());
        }
        byName = Collections.unmodifiableMap(names);
        List<HashSetInfo> list = new ArrayList<>();
        for (LiveSet s : names.values()) list.add(s.info);
        infos = List.copyOf(list);
        algorithms = Collections.unmodifiableSet(algs);
        for (Algorithm a : algs) present[a.ordinal()] = true;
        long pdq = 0;
        for (SetRecord r : records) pdq += r.pdqCount();
        pdqCount = pdq;
    }

    /** The live set with this id, or null. */
    LiveSet get(int id) {
        return id >= 0 && id < byId.length ? byId[id] : null;
    }

    /** The live set of this name, or null. */
    LiveSet named(String name) { return byName.get(name); }

    /** Live sets in name order. */
    Iterable<LiveSet> inNameOrder() { return byName.values(); }

    List<HashSetInfo> infos() { return infos; }

    Set<Algorithm> algorithms() { return algorithms; }

    /** PDQ hashes in the live sets, a hash held by two sets counted twice. */
    long pdqCount() { return pdqCount; }

    /** True when some live set has entries of this algorithm. */
    boolean has(Algorithm a) { return present[a.ordinal()]; }
}
