package org.triage.acquire;

/** The E01 compression levels, as ewfacquire's -c names them; the number is libewf's. */
public enum Compression {
    NONE(0), FAST(1), BEST(2);

    private final int libewfLevel;

    Compression(int libewfLevel) {
        this.libewfLevel = libewfLevel;
    }

    int libewfLevel() { return libewfLevel; }
}
